import { error, redirect } from '@sveltejs/kit';
import { ebookAccess, studentStatus } from '$lib/server/access';
import { displayPrice } from '$lib/server/catalogue';
import { certificateIdOf } from '$lib/server/certificate';
import { formatOpensOn } from '$lib/server/drip';
import { courseOverview } from '$lib/server/progress';
import { pendingClaimsOf } from '$lib/server/payments/wallet/claims';
import type { PageServerLoad } from './$types';

/** Whether the guide can be downloaded yet, and from which day when not. */
function ebookState(user: NonNullable<App.Locals['user']>): { ready: boolean; opensOn: string | null } {
	const access = ebookAccess(user);
	return { ready: access.kind === 'ready', opensOn: access.kind === 'opens' ? formatOpensOn(access.opensAt) : null };
}

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user;
	if (!user) redirect(303, '/login?next=%2Fcourse');
	const status = studentStatus(user);
	if (status.kind === 'none' && pendingClaimsOf(user.email).length)
		error(403, {
			message:
				'আপনার পেমেন্ট যাচাই করা হচ্ছে। যাচাই হলেই কোর্সটি এখানে খুলে যাবে, আর ইমেইলে জানিয়ে দেব। ততক্ষণ ফ্রি পাঠগুলো পড়তে পারেন।',
			reason: 'pending'
		});
	if (status.kind === 'none') {
		error(403, {
			message: 'এই ঠিকানায় এখনো কোর্সটি কেনা হয়নি। কিনলেই প্রথম পাঠগুলো খুলে যাবে।',
			reason: 'buy',
			price: displayPrice()
		});
	}
	if (status.kind === 'ended') error(403, { message: 'এই অ্যাকাউন্টে কোর্সটি আর খোলা নেই।', reason: 'ended' });

	const overview = courseOverview(user.id, status.enrolment);
	return {
		...overview,
		lessons: overview.lessons.map(({ opensAt, ...lesson }) => ({
			...lesson,
			opensOn: opensAt === null ? null : formatOpensOn(opensAt)
		})),
		certificateId: certificateIdOf(user.id),
		ebook: ebookState(user)
	};
};
