import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { Id } from '$lib/server/admin/forms';
import { listImports } from '$lib/server/admin/list';
import {
	applyImport,
	cleanFileName,
	decodeImportFile,
	IMPORT_MAX_BYTES,
	previewImport,
	startImportSequence
} from '$lib/server/admin/list-import';
import { course } from '$lib/server/course';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and actions.
export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return { imports: listImports(), timezone: course().timezone };
};

const TOO_BIG = 'ফাইলটি অনেক বড় (৫১২ KB-এর বেশি)। ভাগ করে দিন।';

/** The form's fields; a body over the server's limit is answered in Bengali instead of with an error page. */
async function formOf(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}

/** The file and its name: an upload (preview), or the text the preview carried back (confirm). */
async function fileOf(event: RequestEvent): Promise<{ text: string; fileName: string } | { problem: string }> {
	const form = await formOf(event.request);
	if (!form) return { problem: TOO_BIG };
	const upload = form.get('file');
	if (upload instanceof File && upload.size > 0) {
		const text = decodeImportFile(new Uint8Array(await upload.arrayBuffer()));
		return typeof text === 'string' ? { text, fileName: cleanFileName(upload.name) } : text;
	}
	const text = form.get('csv');
	if (typeof text !== 'string' || !text.trim()) return { problem: 'একটি CSV ফাইল বেছে নিন।' };
	if (Buffer.byteLength(text) > IMPORT_MAX_BYTES + 64 * 1024) return { problem: TOO_BIG };
	const fileName = form.get('fileName');
	return { text, fileName: cleanFileName(typeof fileName === 'string' ? fileName : '') };
}

export const actions: Actions = {
	preview: async (event) => {
		const file = await fileOf(event);
		if ('problem' in file) return fail(400, { message: file.problem });
		const preview = previewImport(file.text, file.fileName);
		if ('problem' in preview) return fail(400, { message: preview.problem });
		return { preview, csv: file.text };
	},
	confirm: async (event) => {
		const file = await fileOf(event);
		if ('problem' in file) return fail(400, { message: file.problem });
		const done = applyImport(file.text, file.fileName, event.locals.user!.email);
		if ('problem' in done) return fail(400, { message: done.problem });
		return { imported: { id: done.importId, counts: done.preview.counts, fileName: file.fileName } };
	},
	// Starting a sequence sends mail, which cannot be taken back: the first POST asks to confirm.
	start: async ({ request, locals }) => {
		const form = await request.formData();
		const id = v.safeParse(Id, form.get('id'));
		if (!id.success) return fail(400, { message: 'অনুরোধটি বোঝা যায়নি।' });
		if (form.get('confirm') !== '1') return { confirmStart: id.output };
		const result = startImportSequence(id.output, locals.user!.email);
		if (result === 'not-found') return fail(404, { message: 'এই আমদানি পাওয়া যায়নি।' });
		if (result === 'unchanged') return { message: 'এই আমদানির সিকোয়েন্স আগেই শুরু হয়েছে।' };
		return { message: 'সিকোয়েন্স শুরু হয়েছে: প্রথম মেইল এখনই যাচ্ছে।' };
	}
};
