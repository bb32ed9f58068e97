import { fail } from '@sveltejs/kit';
import { rememberDemoAddress } from '$lib/server/mail/mailbox';
import { entrySource } from '$lib/server/analytics/visits';
import { clientAddress } from '$lib/server/client-address';
import { wakeSender } from '$lib/server/mail/sender';
import { readSignup, signupAllowed } from '$lib/server/mail/signup';
import { subscribe } from '$lib/server/mail/subscribers';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const { cookies, request, getClientAddress } = event;
		const signup = readSignup(await request.formData());
		if (!signup.ok) return fail(400, signup);
		const ip = clientAddress(getClientAddress);
		const { email, name, form, page, consent } = signup.value;
		rememberDemoAddress(cookies, email);
		if (!signupAllowed(ip)) {
			return fail(429, {
				message: 'এই নেটওয়ার্ক থেকে অনেকবার চেষ্টা হয়েছে। এক ঘণ্টা পরে আবার চেষ্টা করুন।',
				email,
				name,
				form,
				page
			});
		}
		// The same answer for a new, pending, confirmed or unsubscribed address.
		if (
			subscribe(email, name || null, {
				page,
				form,
				ip,
				userAgent: request.headers.get('user-agent'),
				consentVersion: consent,
				source: entrySource(event)
			})
		) {
			wakeSender();
		}
		return { done: true, email };
	}
};
