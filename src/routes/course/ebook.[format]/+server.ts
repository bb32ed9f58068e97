import { error } from '@sveltejs/kit';
import { ebookAccess } from '$lib/server/access';
import { ebookResponse, isEbookFormat } from '$lib/server/ebook/download';
import { stampFor } from '$lib/server/ebook/stamp';
import type { RequestHandler } from './$types';

// The guide stamped for its reader, once every lesson is open; everyone else, signed in or not, gets 404.
export const GET: RequestHandler = ({ locals, params }) => {
	const user = locals.user;
	if (!isEbookFormat(params.format) || !user || ebookAccess(user).kind !== 'ready') error(404, 'পাতাটি পাওয়া যায়নি');
	return ebookResponse(params.format, stampFor(user));
};
