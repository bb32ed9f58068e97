import { error } from '@sveltejs/kit';
import { ebookResponse, isEbookFormat } from '$lib/server/ebook/download';
import type { RequestHandler } from './$types';

// The seller's unstamped copy; hooks.server.ts lets only admins reach /admin/*.
export const GET: RequestHandler = ({ params }) => {
	if (!isEbookFormat(params.format)) error(404, 'এমন কোনো ডাউনলোড নেই');
	return ebookResponse(params.format, null);
};
