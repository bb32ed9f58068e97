import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { firstIssue, Id, Name, Reason } from '$lib/server/admin/forms';
import {
	changeEmail,
	changeName,
	restoreAccess,
	revokeAccess,
	sendSignInLink,
	setAllLessonsOpen,
	type ActionResult
} from '$lib/server/admin/student-actions';
import { findStudent } from '$lib/server/admin/student-page';
import { course } from '$lib/server/course';
import { EmailAddress } from '$lib/server/email-address';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = ({ params, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const id = v.safeParse(Id, params.id);
	const student = id.success ? findStudent(id.output) : undefined;
	if (!student) error(404, 'এই শিক্ষার্থীকে পাওয়া যায়নি।');
	return {
		student,
		enrolled: url.searchParams.get('enrolled'),
		timezone: course().timezone,
		lessons: course().lessons.length
	};
};

const DONE: Record<string, string> = {
	revoke: 'প্রবেশ বন্ধ করা হয়েছে।',
	restore: 'প্রবেশ ফেরত দেওয়া হয়েছে।',
	open: 'সব পাঠ খুলে দেওয়া হয়েছে।',
	schedule: 'পাঠগুলো আবার সময়সূচি মেনে খুলবে।',
	link: 'নতুন সাইন-ইন লিংক পাঠানো হয়েছে।',
	name: 'নাম বদলানো হয়েছে।',
	email: 'ইমেইল বদলানো হয়েছে।'
};

/** Runs one action for the student in the URL and answers as the page expects; the change is audited by the action. */
async function act(
	event: RequestEvent,
	name: string,
	run: (
		userId: number,
		fields: Record<string, FormDataEntryValue>,
		actor: string
	) => ActionResult | { issue: string } | { confirm: true }
) {
	const id = v.safeParse(Id, event.params.id);
	if (!id.success) return fail(404, { action: name, message: 'এই শিক্ষার্থীকে পাওয়া যায়নি।' });
	const fields = Object.fromEntries(await event.request.formData());
	const result = run(id.output, fields, event.locals.user!.email);
	if (typeof result === 'object' && 'issue' in result)
		return fail(400, { action: name, message: result.issue, fields: echo(fields) });
	if (typeof result === 'object') return { action: name, confirm: true, fields: echo(fields) };
	if (result === 'not-found') return fail(404, { action: name, message: 'এই শিক্ষার্থীকে পাওয়া যায়নি।' });
	if (result === 'taken')
		return fail(409, { action: name, message: 'এই ইমেইলে আরেকটি অ্যাকাউন্ট আছে।', fields: echo(fields) });
	return { action: name, message: result === 'unchanged' ? 'কিছু বদলানোর ছিল না।' : DONE[name] };
}

const echo = (fields: Record<string, FormDataEntryValue>): Record<string, string> =>
	Object.fromEntries(
		Object.entries(fields).map(([k, value]) => [k, typeof value === 'string' ? value.slice(0, 500) : ''])
	);

/** Checks one field; a second POST with confirm=1 is needed when the change cannot be undone. */
function checked<T>(
	schema: v.GenericSchema<unknown, T>,
	value: unknown,
	confirmed: boolean,
	ask: boolean,
	then: (input: T) => ActionResult
) {
	const input = v.safeParse(schema, value);
	if (!input.success) return { issue: firstIssue(input.issues) };
	if (ask && !confirmed) return { confirm: true as const };
	return then(input.output);
}

export const actions: Actions = {
	revoke: (e) =>
		act(e, 'revoke', (id, f, actor) =>
			checked(Reason, f.reason, f.confirm === '1', true, (reason) => revokeAccess(id, reason, actor))
		),
	restore: (e) =>
		act(e, 'restore', (id, f, actor) =>
			checked(Reason, f.reason, true, false, (reason) => restoreAccess(id, reason, actor))
		),
	open: (e) => act(e, 'open', (id, _f, actor) => setAllLessonsOpen(id, true, actor)),
	schedule: (e) => act(e, 'schedule', (id, _f, actor) => setAllLessonsOpen(id, false, actor)),
	link: (e) => act(e, 'link', (id, _f, actor) => sendSignInLink(id, actor)),
	name: (e) =>
		act(e, 'name', (id, f, actor) => checked(Name, f.name, true, false, (name) => changeName(id, name, actor))),
	email: (e) =>
		act(e, 'email', (id, f, actor) =>
			checked(EmailAddress, f.email, f.confirm === '1', true, (email) => changeEmail(id, email, actor))
		)
};
