import { fail, redirect } from '@sveltejs/kit';
import { displayPrice } from '$lib/server/catalogue';
import { setSignInBrowserCookie, signInBrowserId } from '$lib/server/auth/login';
import { entrySource } from '$lib/server/analytics/visits';
import { clientAddress } from '$lib/server/client-address';
import { course } from '$lib/server/course';
import { bindCheckout, BROWSER_COOKIE, browserCookieOptions } from '$lib/server/payments/binding';
import { hitCheckoutLimit, startCheckout } from '$lib/server/payments/checkout';
import { bnDigits, formatTime } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ price: displayPrice() });

export const actions: Actions = {
	default: async (event) => {
		const { cookies, getClientAddress, setHeaders } = event;
		// Every checkout costs a call to Stripe: one address may start only so many.
		const limited = hitCheckoutLimit(clientAddress(getClientAddress));
		if (!limited.allowed) {
			const seconds = Math.max(1, Math.ceil((limited.retryAt - Date.now()) / 1000));
			setHeaders({ 'retry-after': String(seconds) });
			const when = `${bnDigits(Math.ceil(seconds / 60))} মিনিট পরে (${formatTime(limited.retryAt, course().timezone)}-এর পরে)`;
			return fail(429, { limited: when });
		}
		let checkout;
		try {
			checkout = await startCheckout(entrySource(event));
		} catch (e) {
			console.error('checkout: could not start a checkout session:', e);
			return fail(503, { unavailable: true });
		}
		// One secret for both cookies: the purchase mail's sign-in code then works on /login in this browser.
		const secret = signInBrowserId(cookies);
		bindCheckout(checkout.sessionId, secret);
		cookies.set(BROWSER_COOKIE, secret, browserCookieOptions());
		setSignInBrowserCookie(cookies, secret);
		redirect(303, checkout.url);
	}
};
