import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import {
	pendingSignIn,
	requestLoginLink,
	setSignInBrowserCookie,
	SIGN_IN_BROWSER_COOKIE,
	signInBrowserId
} from '$lib/server/auth/login';
import { safeNext } from '$lib/server/auth/next';
import { clientAddress } from '$lib/server/client-address';
import { course } from '$lib/server/course';
import { EmailAddress } from '$lib/server/email-address';
import { rememberDemoAddress } from '$lib/server/mail/mailbox';
import { bnDigits, formatTime } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

const LoginForm = v.object({
	email: EmailAddress,
	next: v.nullish(v.string())
});

export const load: PageServerLoad = ({ locals, url, cookies }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next ?? '/course');
	// A reader back from their mail app finds the code form still here.
	return { next, pending: pendingSignIn(cookies.get(SIGN_IN_BROWSER_COOKIE)) };
};

export const actions: Actions = {
	default: async ({ request, getClientAddress, setHeaders, cookies }) => {
		const form = await request.formData();
		const raw = form.get('email');
		const email = typeof raw === 'string' ? raw.slice(0, 254) : '';
		const parsed = v.safeParse(LoginForm, { email: raw, next: form.get('next') });
		if (!parsed.success) return fail(400, { message: parsed.issues[0].message, email });
		rememberDemoAddress(cookies, parsed.output.email);

		const browser = signInBrowserId(cookies);
		const result = requestLoginLink(
			parsed.output.email,
			parsed.output.next ?? null,
			clientAddress(getClientAddress),
			browser
		);
		if (!result.allowed) {
			const seconds = Math.max(1, Math.ceil((result.retryAt - Date.now()) / 1000));
			setHeaders({ 'retry-after': String(seconds) });
			const when = `${bnDigits(Math.ceil(seconds / 60))} মিনিট পরে (${formatTime(result.retryAt, course().timezone)}-এর পরে)`;
			return fail(429, { message: `অল্প সময়ে অনেকবার লিংক চাওয়া হয়েছে। ${when} আবার চেষ্টা করুন।`, email });
		}
		setSignInBrowserCookie(cookies, browser);
		// The same answer for every valid address, whether or not it belongs to a student.
		return { sent: true, email: parsed.output.email };
	}
};
