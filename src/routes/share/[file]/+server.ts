import { error } from '@sveltejs/kit';
import { shareImagePng } from '$lib/server/share-cards';
import type { RequestHandler } from './$types';

// A preview image's address carries a hash of what it shows: a new picture gets a new address.
export const GET: RequestHandler = async ({ params }) => {
	const png = await shareImagePng(params.file);
	if (!png) error(404, 'ছবিটি পাওয়া যায়নি');
	return new Response(new Uint8Array(png), {
		headers: {
			'content-type': 'image/png',
			'content-length': String(png.length),
			'cache-control': 'public, max-age=31536000, immutable'
		}
	});
};
