import {
	failedMails,
	listFigures,
	lessonCompletion,
	mailFigures,
	paymentIssues,
	recentOrders,
	salesFigures
} from '$lib/server/admin/overview';
import { exportKinds } from '$lib/server/admin/export';
import { goingLiveItems } from '$lib/server/admin/going-live';
import { course } from '$lib/server/course';
import { replicaState } from '$lib/server/replica';
import { revenueByMethod } from '$lib/server/payments/wallet/digest';
import { listPendingClaims } from '$lib/server/payments/wallet/review';
import type { PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and exports.
export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return {
		sales: salesFigures(),
		mail: mailFigures(),
		list: listFigures(),
		issues: paymentIssues(),
		failed: failedMails(),
		orders: recentOrders(),
		completion: lessonCompletion(),
		exports: exportKinds(),
		goingLive: goingLiveItems(await replicaState()),
		timezone: course().timezone,
		byMethod: revenueByMethod(),
		waitingClaims: listPendingClaims().length
	};
};
