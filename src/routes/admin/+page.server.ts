import {
	failedMails,
	listFigures,
	lessonCompletion,
	mailFigures,
	paymentIssues,
	readTogether,
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
	const replica = await replicaState();
	return readTogether(() => {
		const days = dailySales(period, currency, timezone, now);
		const labels = dayLabels(
			days.map((d) => d.day),
			timezone,
			zoneOffset(timezone, now)
		);
		const periods = salesByPeriod(timezone, now);
		const purchases = periods.find((p) => p.period === period)?.orders;
		return {
			period,
			periods,
			chart: { days, labels, drawn: drawChart(days), currency, size: CHART },
			funnel: funnelSince(periodStart(period, timezone, now), timezone, purchases),
			sales: salesFigures(now),
			mail: mailFigures(),
			list: listFigures(now),
			issues: paymentIssues(),
			failed: failedMails(),
			orders: recentOrders(),
			completion: lessonCompletion(),
			exports: exportKinds(),
			goingLive: goingLiveItems(replica, now),
			timezone,
			byMethod: revenueByMethod(),
			waitingClaims: listPendingClaims().length
		};
	});
};
