import { error, fail } from '@sveltejs/kit';
import { signInBrowserId, setSignInBrowserCookie } from '$lib/server/auth/login';
import { entrySource } from '$lib/server/analytics/visits';
import { hashToken } from '$lib/server/auth/tokens';
import { clientAddress } from '$lib/server/client-address';
import { course } from '$lib/server/course';
import { echoFields, formReference, paymentMethod, submitClaim } from '$lib/server/payments/wallet/claims';
import { payPage } from '$lib/server/payments/wallet/pay-page';
import { REMIND_FIELD, rememberUnfinishedClaim } from '$lib/server/payments/wallet/unfinished';
import { bnDigits, formatTime } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

const NOT_OFFERED = 'এই পদ্ধতিতে এখানে টাকা নেওয়া হয় না। অন্য কোনো উপায়ে কিনুন।';

export const load: PageServerLoad = ({ params, url }) => {
	const method = paymentMethod(params.method);
	if (!method) error(404, NOT_OFFERED);
	// A reminder's link brings back the reference code it named.
	const ref = url.searchParams.get('ref');
	return { pay: payPage(method, ref && /^[A-Z2-9]{6}$/.test(ref) ? ref : undefined) };
};

export const actions: Actions = {
	default: async (event) => {
		const { params, request, cookies, getClientAddress, setHeaders } = event;
		const method = paymentMethod(params.method);
		if (!method) error(404, NOT_OFFERED);
		const form = await request.formData();
		const fields = echoFields(form);
		// One secret for the sign-in cookie: the welcome mail's code then works in this browser.
		const secret = signInBrowserId(cookies);
		setSignInBrowserCookie(cookies, secret);
		const result = submitClaim(method, form, clientAddress(getClientAddress), hashToken(secret), entrySource(event));
		const pay = payPage(method, formReference(form));
		const remind = form.get(REMIND_FIELD) === 'yes';
		// Left without a claim: the one reminder, if the buyer asked for it or is on the list.
		const reminder =
			(result.status === 'invalid' || result.status === 'duplicate') &&
			rememberUnfinishedClaim(method, form, clientAddress(getClientAddress));
		if (result.status === 'invalid') return fail(400, { fields, errors: result.errors, pay, remind, reminder });
		if (result.status === 'duplicate')
			return fail(409, {
				fields,
				pay,
				remind,
				reminder,
				errors: { trx_id: 'এই ট্রানজেকশন আইডি দিয়ে আগেই একবার আবেদন করা হয়েছে। একটি লেনদেন একবারই ব্যবহার করা যায়।' }
			});
		if (result.status === 'limited') {
			const seconds = Math.max(1, Math.ceil((result.retryAt - Date.now()) / 1000));
			setHeaders({ 'retry-after': String(seconds) });
			const when = `${bnDigits(Math.ceil(seconds / 60))} মিনিট পরে (${formatTime(result.retryAt, course().timezone)}-এর পরে)`;
			return fail(429, { fields, pay, remind, errors: {}, limited: when });
		}
		return { claimed: { id: result.id, approved: result.approved, email: fields.email.trim().toLowerCase() } };
	}
};
