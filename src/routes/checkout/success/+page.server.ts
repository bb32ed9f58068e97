import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { signInUser } from '$lib/server/auth/session';
import { BROWSER_COOKIE, browserCookieOptions, claimCheckout } from '$lib/server/payments/binding';
import { CheckoutSessionId } from '$lib/server/payments/checkout';
import { fulfil } from '$lib/server/payments/fulfil';
import type { PageServerLoad } from './$types';

// Fulfilling here is idempotent, and it is how the buyer sees the purchase before Stripe's webhook arrives.
// Only a checkout this store started is looked up at Stripe: a made-up session id costs no Stripe call.
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
	const sessionId = v.safeParse(CheckoutSessionId, url.searchParams.get('session_id'));
	if (!sessionId.success) error(400, 'লিংকটি অসম্পূর্ণ। কেনার পর ইমেইলে পাঠানো লিংকটি ব্যবহার করুন।');

	let result;
	try {
		result = await fulfil(sessionId.output, { startedHere: true });
	} catch (e) {
		console.error(`checkout success: could not confirm ${sessionId.output}:`, e);
		error(503, 'এই মুহূর্তে পেমেন্ট যাচাই করা যাচ্ছে না। আপনার টাকা নিরাপদ আছে; একটু পরে পাতাটি আবার খুলুন।');
	}
	if (result.status === 'not-found' || result.status === 'other-product')
		error(404, 'এই কেনাকাটার কোনো খোঁজ পাওয়া যায়নি।');
	if (result.status !== 'fulfilled') return { state: result.status, signedIn: false };

	let signedIn = locals.user?.id === result.userId;
	const secret = cookies.get(BROWSER_COOKIE);
	if (secret && claimCheckout(sessionId.output, secret)) {
		signInUser(cookies, result.userId);
		cookies.delete(BROWSER_COOKIE, browserCookieOptions());
		signedIn = true;
	}
	return { state: result.status, signedIn };
};
