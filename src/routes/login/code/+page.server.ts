import { fail, redirect } from '@sveltejs/kit';
import { pendingSignIn, redeemSignInCode, SIGN_IN_BROWSER_COOKIE } from '$lib/server/auth/login';
import { signInUser } from '$lib/server/auth/session';
import { normalizeSignInCode } from '$lib/server/auth/sign-in-code';
import { bnDigits } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

const NEW_LINK = 'নিচে ইমেইল লিখে নতুন লিংক ও কোড চেয়ে নিন।';

export const load: PageServerLoad = ({ locals, cookies }) => {
	if (locals.user) redirect(303, '/course');
	return { pending: pendingSignIn(cookies.get(SIGN_IN_BROWSER_COOKIE)) };
};

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const raw = (await request.formData()).get('code');
		const typed = typeof raw === 'string' ? raw.slice(0, 20) : '';
		const browser = cookies.get(SIGN_IN_BROWSER_COOKIE);
		if (!browser) {
			const message = `এই ব্রাউজার থেকে সাইন-ইন লিংক চাওয়া হয়নি। কোডটি সেই ব্রাউজারেই লিখুন যেখানে লিংক চেয়েছিলেন, অথবা ইমেইলের লিংকে চাপ দিন। ${NEW_LINK}`;
			return fail(403, { message, retry: false, code: '' });
		}
		const code = normalizeSignInCode(typed);
		if (!code) return fail(400, { message: 'ইমেইলে পাওয়া ৬ অঙ্কের কোডটি লিখুন।', retry: true, code: typed });

		const result = redeemSignInCode(browser, code);
		if (result.status === 'signed-in') {
			signInUser(cookies, result.userId);
			redirect(303, result.next ?? '/course');
		}
		if (result.status === 'wrong') {
			const message = `কোডটি মেলেনি। ইমেইলটি আবার দেখে লিখুন; আর ${bnDigits(result.attemptsLeft)} বার চেষ্টা করা যাবে।`;
			return fail(400, { message, retry: true, code: typed });
		}
		if (result.status === 'locked') {
			const message = `অনেকবার ভুল কোড লেখা হয়েছে, তাই এই সাইন-ইন অনুরোধটি বাতিল হয়ে গেছে (ইমেইলের লিংকটিও আর কাজ করবে না)। ${NEW_LINK}`;
			return fail(429, { message, retry: false, code: '' });
		}
		const message = `কোডটির মেয়াদ শেষ হয়ে গেছে, অথবা এটি বা এর সঙ্গের লিংকটি আগেই ব্যবহার হয়েছে। ${NEW_LINK}`;
		return fail(410, { message, retry: false, code: '' });
	}
};
