/** The funnel for a period: visits to the sales page and free lessons, signups, confirmations, checkouts, purchases. */
import { and, count, gte, inArray, sql } from 'drizzle-orm';
import { OTHER_SOURCES, UNKNOWN_SOURCE } from '../../admin-labels';
import { visitsFrom, type VisitPage } from '../analytics/visits';
import { preparedFor } from '../db/prepared';
import { sourceDays, subscriberImports, subscribers } from '../db/schema';
import { localDay } from '../drip';
import { dayFrom, storedDayOffset, storedSince } from './sales';
import { subscribersSince } from './subscriber-days';

export const FUNNEL_STEPS = ['sales', 'free', 'signups', 'confirmed', 'checkout', 'purchases'] as const;
export type FunnelKey = (typeof FUNNEL_STEPS)[number];

export interface FunnelStep {
	key: FunnelKey;
	count: number;
}

/** The sources shown one by one; the rest are summed under OTHER_SOURCES (not a source a visitor can bring). */
export const TOP_SOURCES = 8;

export interface Funnel {
	steps: FunnelStep[];
	/** Each step per entry source, the most visited first: the top sources, then the others summed. */
	sources: { source: string; steps: FunnelStep[] }[];
}

// Kept by triggers on subscribers and orders (migration 0018), so the period sums a few rows per day.
const sourcesSince = preparedFor((db) =>
	db
		.select({
			source: sourceDays.source,
			signups: sql<number>`sum(${sourceDays.signups})`,
			confirmed: sql<number>`sum(${sourceDays.confirmations})`,
			purchases: sql<number>`sum(${sourceDays.purchases})`
		})
		.from(sourceDays)
		.where(gte(sourceDays.day, sql.placeholder('from')))
		.groupBy(sourceDays.source)
		.prepare()
);

const HOUR_MS = 60 * 60 * 1000;

// Addresses a CSV import added (list-import.ts) joined another list, not this store's funnel: the stored days count
// them as signups and confirmations (with no source), and the funnel takes them out. Read by the imports' index.
const importedSince = preparedFor((db) =>
	db
		.select({
			signups: count(),
			confirmed: sql<number>`coalesce(sum(${subscribers.confirmedAt} >= ${sql.placeholder('since')}), 0)`
		})
		.from(subscribers)
		.where(
			and(
				inArray(
					subscribers.importId,
					db
						.select({ id: subscriberImports.id })
						.from(subscriberImports)
						// An import's rows carry its time; an hour's margin for a long one.
						.where(gte(subscriberImports.createdAt, sql`${sql.placeholder('since')} - ${HOUR_MS}`))
				),
				gte(subscribers.createdAt, sql.placeholder('since'))
			)
		)
		.prepare()
);

type Counts = Record<FunnelKey, number>;
const noCounts = (): Counts => ({ sales: 0, free: 0, signups: 0, confirmed: 0, checkout: 0, purchases: 0 });
const stepsOf = (counts: Counts): FunnelStep[] => FUNNEL_STEPS.map((key) => ({ key, count: counts[key] }));

/** Every step per source, visits (per local day) and stored events (from the period's first stored day) together. */
function bySource(
	visits: { page: VisitPage; source: string; visitors: number }[],
	start: number,
	imported: { signups: number; confirmed: number }
): Funnel['sources'] {
	const rows = new Map<string, Counts>();
	const row = (source: string): Counts => {
		let counts = rows.get(source);
		if (!counts) rows.set(source, (counts = noCounts()));
		return counts;
	};
	for (const v of visits) row(v.source)[v.page] += v.visitors;
	// A period that starts within a stored day (the zone changed, not yet recut) counts from the next one.
	for (const { source, ...events } of sourcesSince().all({ from: dayFrom(start, storedDayOffset()) })) {
		const counts = row(source);
		counts.signups += events.signups;
		counts.confirmed += events.confirmed;
		counts.purchases += events.purchases;
	}
	const unknown = rows.get(UNKNOWN_SOURCE);
	if (unknown) {
		unknown.signups = Math.max(0, unknown.signups - imported.signups);
		unknown.confirmed = Math.max(0, unknown.confirmed - imported.confirmed);
		if (FUNNEL_STEPS.every((key) => unknown[key] === 0)) rows.delete(UNKNOWN_SOURCE);
	}
	const ranked = [...rows].sort(
		([, a], [, b]) => b.sales + b.free - (a.sales + a.free) || b.purchases - a.purchases || b.signups - a.signups
	);
	const sources = ranked.slice(0, TOP_SOURCES).map(([source, counts]) => ({ source, steps: stepsOf(counts) }));
	const rest = ranked.slice(TOP_SOURCES);
	if (rest.length) {
		const summed = noCounts();
		for (const [, counts] of rest) for (const key of FUNNEL_STEPS) summed[key] += counts[key];
		sources.push({ source: OTHER_SOURCES, steps: stepsOf(summed) });
	}
	return sources;
}

/**
 * The funnel from `start` (ms) on; visits are kept per local day of timeZone. `purchases` is the period's orders when
 * the caller has them already (salesByPeriod's), so the stored days are not summed twice.
 */
export function funnelSince(start: number, timeZone: string, purchases?: number): Funnel {
	const visits = visitsFrom(localDay(timeZone, start));
	const total = (page: string): number => visits.filter((v) => v.page === page).reduce((s, v) => s + v.visitors, 0);
	// From the stored per-day counts: 90 days of signups were some 45,000 index entries counted on each visit.
	const list = subscribersSince(start);
	const imported = importedSince().get({ since: start }) ?? { signups: 0, confirmed: 0 };
	return {
		steps: [
			{ key: 'sales', count: total('sales') },
			{ key: 'free', count: total('free') },
			{ key: 'signups', count: list.signups - imported.signups },
			{ key: 'confirmed', count: list.confirmations - imported.confirmed },
			{ key: 'checkout', count: total('checkout') },
			// Every order, refunded ones included, from the stored day totals rather than a count of the orders.
			{ key: 'purchases', count: purchases ?? storedSince(start).reduce((sum, r) => sum + r.orders, 0) }
		],
		sources: bySource(visits, start, imported)
	};
}
