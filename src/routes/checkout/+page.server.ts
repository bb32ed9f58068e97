import { fail, redirect } from '@sveltejs/kit';
import { displayPrice } from '$lib/server/catalogue';
import { setSignInBrowserCookie, signInBrowserId } from '$lib/server/auth/login';
import { bindCheckout, BROWSER_COOKIE, browserCookieOptions } from '$lib/server/payments/binding';
import { startCheckout } from '$lib/server/payments/checkout';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ price: displayPrice() });

export const actions: Actions = {
	default: async ({ cookies }) => {
		let checkout;
		try {
			checkout = await startCheckout();
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
