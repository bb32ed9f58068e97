import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { firstIssue, ManualEnrolment } from '$lib/server/admin/forms';
import { lessonCount, listStudents, studentKey } from '$lib/server/admin/students';
import { course } from '$lib/server/course';
import { enrolByHand } from '$lib/server/payments/manual';
import { renderOnly } from '$lib/render-only';
import type { Actions, PageServerLoad } from './$types';

// 25 cards are a long scroll on a phone already, and each costs the page its drawing.
const PAGE_SIZE = 25;

// Access is checked for every /admin path in hooks.server.ts, including __data.json and actions.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const query = url.searchParams.get('q')?.slice(0, 200) ?? '';
	const sort = url.searchParams.get('sort') === 'idle' ? 'idle' : 'recent';
	const after = url.searchParams.get('after')?.match(/^\d{1,15}(:\d{1,15})?$/)?.[0] ?? null;
	const rows = listStudents({ query, sort, after }, PAGE_SIZE);
	const students = rows.slice(0, PAGE_SIZE);
	const next = rows.length > PAGE_SIZE ? studentKey(students[students.length - 1], sort) : null;
	const c = course();
	// The cards are rendered here only, never serialized (see RenderOnly).
	return {
		query,
		sort,
		students: renderOnly(students),
		next,
		lessons: lessonCount(),
		timezone: c.timezone,
		currency: c.currency
	};
};

export const actions: Actions = {
	// A manual enrolment sends the welcome mail and cannot be taken back: the first POST asks to confirm.
	enrol: async ({ request, locals }) => {
		const fields = Object.fromEntries(await request.formData());
		const form = v.safeParse(ManualEnrolment, fields);
		const echo = Object.fromEntries(
			['email', 'name', 'amount', 'currency', 'reference'].map((k) => [
				k,
				typeof fields[k] === 'string' ? fields[k] : ''
			])
		) as Record<'email' | 'name' | 'amount' | 'currency' | 'reference', string>;
		if (!form.success) return fail(400, { enrol: echo, message: firstIssue(form.issues) });
		if (fields.confirm !== '1') return { enrol: echo, confirm: true };
		const result = enrolByHand(form.output, locals.user!.email);
		if (result.status === 'revoked-by-seller')
			return fail(409, { enrol: echo, message: 'এই শিক্ষার্থীর প্রবেশ আপনি বন্ধ করেছেন। তাঁর পাতা থেকে প্রবেশ ফেরত দিন।' });
		redirect(303, `/admin/students/${result.userId}?enrolled=${result.status === 'enrolled' ? 'new' : 'already'}`);
	}
};
