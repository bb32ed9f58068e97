/** The funnel for a period: visits to the sales page and free lessons, signups, confirmations, checkouts, purchases. */
import { count, gte, sql } from 'drizzle-orm';
import { visitsFrom } from '../analytics/visits';
import { localDay } from '../drip';
import { preparedFor } from '../db/prepared';
import { subscribers } from '../db/schema';
import { storedSince } from './sales';

export interface FunnelStep {
	key: 'sales' | 'free' | 'signups' | 'confirmed' | 'checkout' | 'purchases';
	count: number;
}

export interface Funnel {
	steps: FunnelStep[];
	/** Visitors per source and page, most first. */
	sources: { source: string; sales: number; free: number; checkout: number }[];
}

const signups = preparedFor((db) =>
	db
		.select({ n: count() })
		.from(subscribers)
		.where(gte(subscribers.createdAt, sql.placeholder('since')))
		.prepare()
);
const confirmations = preparedFor((db) =>
	db
		.select({ n: count() })
		.from(subscribers)
		.where(gte(subscribers.confirmedAt, sql.placeholder('since')))
		.prepare()
);

/** The funnel from `start` (ms) on; visits are kept per local day of timeZone. */
export function funnelSince(start: number, timeZone: string): Funnel {
	const visits = visitsFrom(localDay(timeZone, start));
	const total = (page: string): number => visits.filter((v) => v.page === page).reduce((s, v) => s + v.visitors, 0);
	const bySource = new Map<string, { source: string; sales: number; free: number; checkout: number }>();
	for (const v of visits) {
		const row = bySource.get(v.source) ?? { source: v.source, sales: 0, free: 0, checkout: 0 };
		row[v.page] += v.visitors;
		bySource.set(v.source, row);
	}
	return {
		steps: [
			{ key: 'sales', count: total('sales') },
			{ key: 'free', count: total('free') },
			{ key: 'signups', count: signups().get({ since: start })?.n ?? 0 },
			{ key: 'confirmed', count: confirmations().get({ since: start })?.n ?? 0 },
			{ key: 'checkout', count: total('checkout') },
			// Every order, refunded ones included, from the stored day totals rather than a count of the orders.
			{ key: 'purchases', count: storedSince(start).reduce((sum, r) => sum + r.orders, 0) }
		],
		sources: [...bySource.values()].sort((a, b) => b.sales + b.free - (a.sales + a.free))
	};
}
