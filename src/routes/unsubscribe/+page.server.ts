import { fail } from '@sveltejs/kit';
import { readUnsubscribeToken } from '$lib/server/mail/links';
import { unsubscribe } from '$lib/server/mail/subscribers';
import type { Actions, PageServerLoad } from './$types';

/** a•••@example.com: enough to recognise one's address, not to read someone else's. */
function mask(email: string): string {
	const [local, domain] = email.split('@');
	return `${local.slice(0, 1)}•••@${domain}`;
}

// A GET only shows the button; the POST (this page's button, or a mail app's RFC 8058 one-click) unsubscribes.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const email = readUnsubscribeToken(url.searchParams.get('token'));
	return { address: email ? mask(email) : null };
};

export const actions: Actions = {
	default: async ({ url, request }) => {
		const email = readUnsubscribeToken(url.searchParams.get('token'));
		if (!email) return fail(400, { invalid: true });
		const body = await request.formData();
		const oneClick = body.get('List-Unsubscribe') === 'One-Click';
		unsubscribe(email, oneClick ? 'one-click (RFC 8058)' : 'unsubscribe page');
		return { done: true };
	}
};
