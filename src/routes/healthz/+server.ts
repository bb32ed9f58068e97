import { json } from '@sveltejs/kit';
import { databaseAnswers } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () =>
	databaseAnswers()
		? json({ ok: true }, { headers: { 'cache-control': 'no-store' } })
		: json({ ok: false }, { status: 503, headers: { 'cache-control': 'no-store' } });
