import {
	failedMails,
	listFigures,
	lessonCompletion,
	mailFigures,
	paymentIssues,
	recentOrders,
	revenueByMethod,
	salesFigures
} from '$lib/server/admin/overview';
import { CHART, dayLabels, drawChart } from '$lib/server/admin/chart';
import { exportKinds } from '$lib/server/admin/export';
import { funnelSince } from '$lib/server/admin/funnel';
import { dailySales, periodStart, PERIODS, salesByPeriod, type Period } from '$lib/server/admin/sales';
import { zoneOffset } from '$lib/server/time-zone';
import { goingLiveItems } from '$lib/server/admin/going-live';
import { course } from '$lib/server/course';
import { replicaState } from '$lib/server/replica';
import { listPendingClaims } from '$lib/server/payments/wallet/review';
import type { PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and exports.
export const load: PageServerLoad = async ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const { timezone, currency } = course();
	const asked = url.searchParams.get('period');
	const period: Period = PERIODS.find((p) => p === asked) ?? '30';
	const now = Date.now();
	const days = dailySales(period, currency, timezone, now);
	const labels = dayLabels(
		days.map((d) => d.day),
		timezone,
		zoneOffset(timezone, now)
	);
	return {
		period,
		periods: salesByPeriod(timezone),
		chart: { days, labels, drawn: drawChart(days), currency, size: CHART },
		funnel: funnelSince(periodStart(period, timezone), timezone),
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
