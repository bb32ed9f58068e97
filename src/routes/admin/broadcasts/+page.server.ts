import { fail, redirect } from '@sveltejs/kit';
import { readDraft } from '$lib/server/broadcasts/form';
import { listBroadcastSummaries } from '$lib/server/broadcasts/page';
import { createDraft } from '$lib/server/broadcasts/store';
import { course } from '$lib/server/course';
import type { Actions, PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and actions.
export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return { broadcasts: listBroadcastSummaries(), timezone: course().timezone };
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const read = readDraft(Object.fromEntries(await request.formData()));
		if (!read.ok) return fail(400, { message: read.message, fields: read.echo });
		redirect(303, `/admin/broadcasts/${createDraft(read.draft, locals.user!.email)}`);
	}
};
