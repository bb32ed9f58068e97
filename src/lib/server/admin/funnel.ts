/** The funnel for a period: visits to the sales page and free lessons, signups, confirmations, checkouts, purchases. */
import { visitsFrom } from '../analytics/visits';
import { localDay } from '../drip';
import { storedSince } from './sales';
import { subscribersSince } from './subscriber-days';

export interface FunnelStep {
	key: 'sales' | 'free' | 'signups' | 'confirmed' | 'checkout' | 'purchases';
	count: number;
}

export interface Funnel {
	steps: FunnelStep[];
	/** Visitors per source and page, most first. */
	sources: { source: string; sales: number; free: number; checkout: number }[];
}

/**
 * The funnel from `start` (ms) on; visits are kept per local day of timeZone. `purchases` is the period's orders when
 * the caller has them already (salesByPeriod's), so the stored days are not summed twice.
 */
export function funnelSince(start: number, timeZone: string, purchases?: number): Funnel {
	const visits = visitsFrom(localDay(timeZone, start));
	const total = (page: string): number => visits.filter((v) => v.page === page).reduce((s, v) => s + v.visitors, 0);
	const bySource = new Map<string, { source: string; sales: number; free: number; checkout: number }>();
	for (const v of visits) {
		const row = bySource.get(v.source) ?? { source: v.source, sales: 0, free: 0, checkout: 0 };
		row[v.page] += v.visitors;
		bySource.set(v.source, row);
	}
	// From the stored per-day counts: 90 days of signups were some 45,000 index entries counted on each visit.
	const list = subscribersSince(start);
	return {
		steps: [
			{ key: 'sales', count: total('sales') },
			{ key: 'free', count: total('free') },
			{ key: 'signups', count: list.signups },
			{ key: 'confirmed', count: list.confirmations },
			{ key: 'checkout', count: total('checkout') },
			// Every order, refunded ones included, from the stored day totals rather than a count of the orders.
			{ key: 'purchases', count: purchases ?? storedSince(start).reduce((sum, r) => sum + r.orders, 0) }
		],
		sources: [...bySource.values()].sort((a, b) => b.sales + b.free - (a.sales + a.free))
	};
}
