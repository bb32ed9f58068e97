import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie, invalidateSession, SESSION_COOKIE } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.user !== null });

export const actions: Actions = {
	default: ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) invalidateSession(token);
		deleteSessionCookie(cookies);
		redirect(303, '/');
	}
};
