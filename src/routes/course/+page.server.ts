import { error, redirect } from '@sveltejs/kit';
import { displayPrice } from '$lib/server/catalogue';
import { pendingClaimsOf } from '$lib/server/payments/wallet/claims';
import { courseState } from '$lib/server/page-state';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user;
	if (!user) redirect(303, '/login?next=%2Fcourse');
	// The state the page is kept under when hooks.server.ts looked it up.
	const state = locals.courseState ?? courseState(user);
	if (state.kind === 'none' && pendingClaimsOf(user.email).length)
		error(403, {
			message:
				'আপনার পেমেন্ট যাচাই করা হচ্ছে। যাচাই হলেই কোর্সটি এখানে খুলে যাবে, আর ইমেইলে জানিয়ে দেব। ততক্ষণ ফ্রি পাঠগুলো পড়তে পারেন।',
			reason: 'pending'
		});
	if (state.kind === 'none') {
		error(403, {
			message: 'এই ঠিকানায় এখনো কোর্সটি কেনা হয়নি। কিনলেই প্রথম পাঠগুলো খুলে যাবে।',
			reason: 'buy',
			price: displayPrice()
		});
	}
	if (state.kind === 'ended') error(403, { message: 'এই অ্যাকাউন্টে কোর্সটি আর খোলা নেই।', reason: 'ended' });
	return state.home();
};
