/**
 * Everything `/admin` renders, read in one snapshot, and the key its rendering is kept under (rendered-pages.ts):
 * what a write changes is named by the database's version, what the clock moves by its values, so a kept overview
 * is one that would render byte for byte the same.
 */
import { course } from '../course';
import { replicaState } from '../replica';
import { zoneOffset } from '../time-zone';
import { exportKinds } from './export';
import { goingLiveItems } from './going-live';
import { listFigures, readTogether, salesFigures, storedFigures } from './overview';
import { periodOverview } from './period-overview';
import { periodStart, PERIODS, type Period } from './sales';
import { writtenVersion } from './until-written';

export type OverviewView = Awaited<ReturnType<typeof overviewPage>>['view'];

/** The overview for the period asked (30 days for anything else), and its key. */
export async function overviewPage(asked: string | null, now = Date.now()) {
	const { timezone, currency } = course();
	const period: Period = PERIODS.find((p) => p === asked) ?? '30';
	const replica = await replicaState();
	return readTogether(() => {
		// Read first, inside the snapshot, as untilWritten does: the key is never newer than what the page shows.
		const version = writtenVersion();
		const view = {
			period,
			...periodOverview(period, timezone, currency, now),
			...storedFigures(),
			// The last 7 days roll with the clock: their edge is read on each load.
			sales: salesFigures(now),
			list: listFigures(now),
			exports: exportKinds(),
			goingLive: goingLiveItems(replica, now),
			timezone
		};
		// The chart's days and labels move with the local day and the zone's offset; the rest is in these values.
		const clock = [periodStart('today', timezone, now), zoneOffset(timezone, now), currency];
		const key = `overview ${period} ${version} ${JSON.stringify([clock, view.sales, view.list, view.goingLive])}`;
		return { view, key };
	});
}
