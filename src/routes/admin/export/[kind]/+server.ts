import { error } from '@sveltejs/kit';
import { exportCsv } from '$lib/server/admin/export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) => {
	const csv = exportCsv(params.kind.replace(/\.csv$/, ''));
	if (csv === undefined) error(404, 'এমন কোনো ডাউনলোড নেই');
	const date = new Date().toISOString().slice(0, 10);
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${params.kind.replace(/\.csv$/, '')}-${date}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
