import { robotsTxt } from '$lib/server/seo';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () =>
	new Response(robotsTxt(), {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
