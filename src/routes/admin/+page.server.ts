import { listFigures, readTogether, salesFigures, storedFigures } from '$lib/server/admin/overview';
import { exportKinds } from '$lib/server/admin/export';
import { periodOverview } from '$lib/server/admin/period-overview';
import { PERIODS, type Period } from '$lib/server/admin/sales';
import { goingLiveItems } from '$lib/server/admin/going-live';
import { course } from '$lib/server/course';
import { replicaState } from '$lib/server/replica';
import { renderOnly } from '$lib/render-only';
import type { PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and exports.
export const load: PageServerLoad = async ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const { timezone, currency } = course();
	const asked = url.searchParams.get('period');
	const period: Period = PERIODS.find((p) => p === asked) ?? '30';
	const now = Date.now();
	const replica = await replicaState();
	// Read in one snapshot, rendered here only: the overview's figures never reach the browser (see RenderOnly).
	const view = readTogether(() => ({
		period,
		...periodOverview(period, timezone, currency, now),
		...storedFigures(),
		// The last 7 days roll with the clock: read on each load.
		sales: salesFigures(now),
		list: listFigures(now),
		exports: exportKinds(),
		goingLive: goingLiveItems(replica, now),
		timezone
	}));
	return { view: renderOnly(view) };
};
