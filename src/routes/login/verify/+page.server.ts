import { fail, redirect } from '@sveltejs/kit';
import { loginTokenIsUsable, redeemLoginToken } from '$lib/server/auth/login';
import { signInUser } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

// Opening the link spends nothing: mail scanners follow links, only the button's POST signs in.
export const load: PageServerLoad = ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	return { token: loginTokenIsUsable(token) ? token : null };
};

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const token = (await request.formData()).get('token');
		const signIn = typeof token === 'string' ? redeemLoginToken(token) : null;
		if (!signIn) return fail(400, { invalid: true });
		signInUser(cookies, signIn.userId);
		redirect(303, signIn.next ?? '/course');
	}
};
