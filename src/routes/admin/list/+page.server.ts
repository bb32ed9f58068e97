import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { firstIssue, Id, Reason } from '$lib/server/admin/forms';
import { LIST_STATUSES, listCounts, listFailed, listSubscribers, stepFigures } from '$lib/server/admin/list';
import {
	retryMail,
	stopSequences,
	suppressAddress,
	unsuppressAddress,
	type ListActionResult
} from '$lib/server/admin/list-actions';
import { course } from '$lib/server/course';
import { EmailAddress } from '$lib/server/email-address';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const FAILED_PAGE = 20;
const Key = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const Filter = v.object({
	q: v.optional(v.pipe(v.string(), v.maxLength(200)), ''),
	status: v.optional(v.picklist(['', ...LIST_STATUSES]), ''),
	source: v.optional(v.pipe(v.string(), v.maxLength(40)), ''),
	import: v.optional(Key),
	before: v.optional(Key),
	failedBefore: v.optional(Key)
});

// Access is checked for every /admin path in hooks.server.ts, including __data.json and actions.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const parsed = v.safeParse(Filter, Object.fromEntries(url.searchParams));
	const f = parsed.success ? parsed.output : { q: '', status: '' as const, source: '' };
	const filter = {
		query: f.q,
		status: f.status,
		source: f.source,
		importId: f.import ?? null,
		before: f.before ?? null
	};
	const rows = listSubscribers(filter, PAGE_SIZE);
	const subscribers = rows.slice(0, PAGE_SIZE);
	const failedRows = listFailed(f.failedBefore ?? null, FAILED_PAGE);
	const failed = failedRows.slice(0, FAILED_PAGE);
	return {
		filter: { q: f.q, status: f.status, source: f.source, import: f.import ? String(f.import) : '' },
		counts: listCounts(),
		steps: stepFigures(),
		subscribers,
		next: rows.length > PAGE_SIZE ? subscribers[subscribers.length - 1].id : null,
		failed,
		failedNext: failedRows.length > FAILED_PAGE ? failed[failed.length - 1].id : null,
		timezone: course().timezone
	};
};

const DONE: Record<string, string> = {
	retry: 'মেইলটি আবার পাঠানোর সারিতে দেওয়া হয়েছে।',
	stop: 'এই ঠিকানার সিকোয়েন্স থামানো হয়েছে।',
	suppress: 'এই ঠিকানায় আর কোনো প্রচারের মেইল যাবে না।',
	unsuppress: 'ঠিকানাটি আবার মেইল পাবে।'
};

const ANSWERS: Record<Exclude<ListActionResult, 'done'>, [number, string]> = {
	unchanged: [200, 'কিছু বদলানোর ছিল না।'],
	'not-found': [404, 'এটি পাওয়া যায়নি।'],
	'own-unsubscribe': [409, 'ইনি নিজে বের হয়ে গেছেন; কেবল নিজে আবার যোগ দিতে পারেন।']
};

/** An address action: the first POST asks to confirm (and for a reason), the second with confirm=1 acts. */
function onAddress(name: string, run: (email: string, reason: string, actor: string) => ListActionResult) {
	return async ({ request, locals }: { request: Request; locals: App.Locals }) => {
		const fields = Object.fromEntries(await request.formData());
		const email = v.safeParse(EmailAddress, fields.email);
		if (!email.success) return fail(400, { action: name, message: firstIssue(email.issues) });
		const asked = { action: name, confirm: true, email: email.output };
		if (fields.confirm !== '1') return asked;
		const reason = v.safeParse(Reason, fields.reason);
		if (!reason.success) return fail(400, { ...asked, message: firstIssue(reason.issues) });
		return answer(name, run(email.output, reason.output, locals.user!.email));
	};
}

function answer(name: string, result: ListActionResult) {
	if (result === 'done') return { action: name, message: DONE[name] };
	const [status, message] = ANSWERS[result];
	return status === 200 ? { action: name, message } : fail(status, { action: name, message });
}

export const actions: Actions = {
	retry: async ({ request, locals }) => {
		const id = v.safeParse(Id, (await request.formData()).get('id'));
		if (!id.success) return fail(400, { action: 'retry', message: 'অনুরোধটি বোঝা যায়নি।' });
		return answer('retry', retryMail(id.output, locals.user!.email));
	},
	stop: onAddress('stop', stopSequences),
	suppress: onAddress('suppress', suppressAddress),
	unsuppress: onAddress('unsuppress', unsuppressAddress)
};
