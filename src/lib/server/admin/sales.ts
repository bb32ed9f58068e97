/** Sales for the desk's overview: revenue net of refunds and number of sales per period, currency and method. */
import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { orders, paymentStates, salesBuckets } from '../db/schema';

export const PERIODS = ['today', '7', '30', '90'] as const;
export type Period = (typeof PERIODS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
/** The stored totals' grain (sales_buckets): local midnights of +6, +5:30 and +5:45 all fall on one. */
export const BUCKET_MS = 15 * 60 * 1000;

/** The first bucket wholly at or after `since`; orders in [since, that) are read from the orders themselves. */
export function bucketFrom(since: number): number {
	return Math.ceil(since / BUCKET_MS) * BUCKET_MS;
}

/** Milliseconds the timezone is ahead of UTC at `at` (Asia/Dhaka: +6 h). */
export function zoneOffset(timeZone: string, at: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	}).formatToParts(at);
	const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
	const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
	return local - Math.floor(at / 1000) * 1000;
}

/** When the period began: today's local midnight, or that midnight N-1 days earlier (so "7" is today and six days). */
export function periodStart(period: Period, timeZone: string, now = Date.now()): number {
	const offset = zoneOffset(timeZone, now);
	const midnight = Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
	return period === 'today' ? midnight : midnight - (Number(period) - 1) * DAY_MS;
}

const notRefunded = sql`coalesce(${paymentStates.refunded}, 0) = 0`;

// Orders in [since, until): only the part of a period before its first whole bucket, so a handful of rows at most.
const salesBetween = preparedFor((db) =>
	db
		.select({
			currency: orders.currency,
			method: orders.method,
			sales: count(),
			revenue: sql<number>`sum(${orders.amount})`
		})
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.where(
			and(gte(orders.createdAt, sql.placeholder('since')), lt(orders.createdAt, sql.placeholder('until')), notRefunded)
		)
		.groupBy(orders.currency, orders.method)
		.prepare()
);

const bucketsSince = preparedFor((db) =>
	db
		.select({
			currency: salesBuckets.currency,
			method: salesBuckets.method,
			sales: sql<number>`sum(${salesBuckets.sales})`,
			revenue: sql<number>`sum(${salesBuckets.revenue})`
		})
		.from(salesBuckets)
		.where(gte(salesBuckets.bucket, sql.placeholder('from')))
		.groupBy(salesBuckets.currency, salesBuckets.method)
		.prepare()
);

/** Sales net of refunds since `since` per currency and method: the stored buckets plus the orders before the first. */
function salesSince(since: number): { currency: string; method: string; sales: number; revenue: number }[] {
	const from = bucketFrom(since);
	const rows = bucketsSince().all({ from });
	if (from > since) rows.push(...salesBetween().all({ since, until: from }));
	const merged = new Map<string, (typeof rows)[number]>();
	for (const r of rows) {
		const key = `${r.currency} ${r.method}`;
		const seen = merged.get(key);
		merged.set(key, seen ? { ...seen, sales: seen.sales + r.sales, revenue: seen.revenue + r.revenue } : { ...r });
	}
	// A bucket whose orders were all refunded holds no sale: left out, as the orders' own sum would.
	return [...merged.values()].filter((r) => r.sales > 0);
}

export interface PeriodSales {
	period: Period;
	/** Per currency: sales and revenue (minor unit) in total and per method. */
	currencies: {
		currency: string;
		sales: number;
		revenue: number;
		methods: { method: string; sales: number; revenue: number }[];
	}[];
}

/** Each period's sales, refunded orders left out (a refund takes the sale back). */
export function salesByPeriod(timeZone: string, now = Date.now()): PeriodSales[] {
	return PERIODS.map((period) => {
		const rows = salesSince(periodStart(period, timeZone, now));
		const currencies = [...new Set(rows.map((r) => r.currency))].sort().map((currency) => {
			const mine = rows.filter((r) => r.currency === currency).sort((a, b) => b.revenue - a.revenue);
			return {
				currency,
				sales: mine.reduce((s, r) => s + r.sales, 0),
				revenue: mine.reduce((s, r) => s + r.revenue, 0),
				methods: mine.map(({ method, sales, revenue }) => ({ method, sales, revenue }))
			};
		});
		return { period, currencies };
	});
}

const dailyBetween = preparedFor((db) =>
	db
		.select({
			// Bound numbers arrive as REAL: cast, so that the division is an integer one.
			day: sql<number>`(${orders.createdAt} + cast(${sql.placeholder('offset')} as integer)) / ${sql.raw(String(DAY_MS))}`,
			sales: count(),
			revenue: sql<number>`sum(${orders.amount})`
		})
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.where(
			and(
				gte(orders.createdAt, sql.placeholder('since')),
				lt(orders.createdAt, sql.placeholder('until')),
				notRefunded,
				eq(orders.currency, sql.placeholder('currency'))
			)
		)
		.groupBy(sql`1`)
		.prepare()
);

const dailyBuckets = preparedFor((db) =>
	db
		.select({
			day: sql<number>`(${salesBuckets.bucket} + cast(${sql.placeholder('offset')} as integer)) / ${sql.raw(String(DAY_MS))}`,
			sales: sql<number>`sum(${salesBuckets.sales})`,
			revenue: sql<number>`sum(${salesBuckets.revenue})`
		})
		.from(salesBuckets)
		.where(
			and(gte(salesBuckets.bucket, sql.placeholder('from')), eq(salesBuckets.currency, sql.placeholder('currency')))
		)
		.groupBy(sql`1`)
		.prepare()
);

export interface DaySales {
	/** Local midnight of the day, as UTC milliseconds. */
	day: number;
	sales: number;
	revenue: number;
}

/** Sales in one currency per local day of the period, days without a sale included. */
export function dailySales(period: Period, currency: string, timeZone: string, now = Date.now()): DaySales[] {
	const since = periodStart(period, timeZone, now);
	// One offset for the whole period: exact for zones without daylight saving, such as the course's own.
	const offset = zoneOffset(timeZone, now);
	const from = bucketFrom(since);
	const byDay = new Map<number, { sales: number; revenue: number }>();
	const rows = dailyBuckets().all({ from, offset, currency });
	if (from > since) rows.push(...dailyBetween().all({ since, until: from, offset, currency }));
	for (const r of rows) {
		const seen = byDay.get(r.day);
		byDay.set(r.day, { sales: (seen?.sales ?? 0) + r.sales, revenue: (seen?.revenue ?? 0) + r.revenue });
	}
	const days: DaySales[] = [];
	for (let start = since; start <= now; start += DAY_MS) {
		const row = byDay.get(Math.floor((start + offset) / DAY_MS));
		days.push({ day: start, sales: row?.sales ?? 0, revenue: row?.revenue ?? 0 });
	}
	return days;
}
