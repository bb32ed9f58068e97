import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/client-address';
import { firstLessonUrl } from '$lib/server/mail/links';
import { wakeSender } from '$lib/server/mail/sender';
import { confirmSubscription, confirmTokenIsValid } from '$lib/server/mail/subscribers';
import type { Actions, PageServerLoad } from './$types';

// A GET only shows the button: mail scanners that open links confirm nothing.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return { valid: confirmTokenIsValid(url.searchParams.get('token')) };
};

export const actions: Actions = {
	default: ({ url, request, getClientAddress }) => {
		const email = confirmSubscription(url.searchParams.get('token'), {
			ip: clientAddress(getClientAddress),
			userAgent: request.headers.get('user-agent')
		});
		if (!email) return fail(400, { invalid: true });
		wakeSender();
		return { confirmed: true, firstLesson: new URL(firstLessonUrl()).pathname };
	}
};
