import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { course } from '$lib/server/course';
import { paymentsDesk } from '$lib/server/payments/wallet/admin';
import { readStatement } from '$lib/server/payments/wallet/statement-form';
import { applyStatement, previewStatement } from '$lib/server/payments/wallet/statement-match';
import { approveClaim, rejectClaim, revokeClaim, type Decision } from '$lib/server/payments/wallet/review';
import type { Actions, PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json.
export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return { ...paymentsDesk(), timezone: course().timezone };
};

const ClaimId = v.pipe(v.string(), v.regex(/^\d{1,12}$/), v.transform(Number));
const WithReason = v.object({
	id: ClaimId,
	reason: v.pipe(
		v.string('কারণ লিখুন।'),
		v.trim(),
		v.nonEmpty('কারণ লিখুন: ক্রেতা ইমেইলে এটি পাবেন।'),
		v.maxLength(500, 'কারণটি ৫০০ অক্ষরের মধ্যে লিখুন।')
	)
});

const ALREADY: Record<string, string> = {
	approved: 'এই আবেদন আগেই অনুমোদিত হয়েছে।',
	rejected: 'এই আবেদন আগেই বাতিল হয়েছে।',
	revoked: 'এই আবেদন আগেই ফিরিয়ে নেওয়া হয়েছে।',
	pending: 'এই আবেদন এখনো অনুমোদিত হয়নি।'
};

function answer(result: Decision, done: string) {
	if (result.status === 'not-found') return fail(404, { message: 'এই আবেদনটি পাওয়া যায়নি।' });
	if (result.status === 'already') return fail(409, { message: ALREADY[result.current] });
	return { message: done };
}

export const actions: Actions = {
	approve: async ({ request, locals }) => {
		const id = v.safeParse(ClaimId, (await request.formData()).get('id'));
		if (!id.success) return fail(400, { message: 'অনুরোধটি বোঝা যায়নি।' });
		return answer(approveClaim(id.output, locals.user!.email), 'অনুমোদিত: ক্রেতা স্বাগত-ইমেইল পাচ্ছেন।');
	},
	reject: async ({ request, locals }) => {
		const form = v.safeParse(WithReason, Object.fromEntries(await request.formData()));
		if (!form.success) return fail(400, { message: form.issues[0].message });
		const { id, reason } = form.output;
		return answer(rejectClaim(id, locals.user!.email, reason), 'বাতিল হয়েছে: কারণটি ক্রেতাকে ইমেইলে জানানো হচ্ছে।');
	},
	statement: async ({ request }) => {
		const csv = await readStatement(await request.formData());
		if (typeof csv !== 'string') return fail(400, { message: csv.problem });
		return { statement: { csv, ...previewStatement(csv) } };
	},
	applyStatement: async ({ request, locals }) => {
		const csv = await readStatement(await request.formData());
		if (typeof csv !== 'string') return fail(400, { message: csv.problem });
		const approved = applyStatement(csv, `statement:${locals.user!.email}`);
		return { message: `স্টেটমেন্ট থেকে ${approved.toLocaleString('bn-BD')}টি আবেদন অনুমোদিত হলো।` };
	},
	revoke: async ({ request, locals }) => {
		const form = v.safeParse(WithReason, Object.fromEntries(await request.formData()));
		if (!form.success) return fail(400, { message: form.issues[0].message });
		const { id, reason } = form.output;
		return answer(revokeClaim(id, locals.user!.email, reason), 'ফিরিয়ে নেওয়া হয়েছে: ক্রেতার প্রবেশ বন্ধ।');
	}
};
