/** Sales for the desk's overview: revenue net of refunds and number of sales per period, currency and method. */
import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { db, writeTransaction } from '../db';
import { zoneOffset } from '../time-zone';
import { orders, paymentStates, salesBuckets, salesDays, salesDayZone, sourceDays, subscriberDays } from '../db/schema';

export const PERIODS = ['today', '7', '30', '90'] as const;
export type Period = (typeof PERIODS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
/** The stored totals' grain (sales_buckets): local midnights of +6, +5:30 and +5:45 all fall on one. */
export const BUCKET_MS = 15 * 60 * 1000;

/** The first bucket wholly at or after `since`; orders in [since, that) are read from the orders themselves. */
export function bucketFrom(since: number): number {
	return Math.ceil(since / BUCKET_MS) * BUCKET_MS;
}

/** When the period began: today's local midnight, or that midnight N-1 days earlier (so "7" is today and six days). */
export function periodStart(period: Period, timeZone: string, now = Date.now()): number {
	const offset = zoneOffset(timeZone, now);
	const midnight = Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
	return period === 'today' ? midnight : midnight - (Number(period) - 1) * DAY_MS;
}

const notRefunded = sql`coalesce(${paymentStates.refunded}, 0) = 0`;

interface StoredSales {
	currency: string;
	method: string;
	/** Every order, refunded ones included. */
	orders: number;
	/** Orders not refunded, and their amounts: the sales net of refunds. */
	sales: number;
	revenue: number;
}

// Orders in [since, until): only the part of a period before its first whole bucket, so a handful of rows at most.
const ordersBetween = preparedFor((db) =>
	db
		.select({
			currency: orders.currency,
			method: orders.method,
			orders: count(),
			sales: sql<number>`sum(${notRefunded})`,
			revenue: sql<number>`sum(iif(${notRefunded}, ${orders.amount}, 0))`
		})
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.where(and(gte(orders.createdAt, sql.placeholder('since')), lt(orders.createdAt, sql.placeholder('until'))))
		.groupBy(orders.currency, orders.method)
		.prepare()
);

// Buckets in [from, until): only the part of a period before its first whole stored day.
const bucketsBetween = preparedFor((db) =>
	db
		.select({
			currency: salesBuckets.currency,
			method: salesBuckets.method,
			orders: sql<number>`sum(${salesBuckets.orders})`,
			sales: sql<number>`sum(${salesBuckets.sales})`,
			revenue: sql<number>`sum(${salesBuckets.revenue})`
		})
		.from(salesBuckets)
		.where(and(gte(salesBuckets.bucket, sql.placeholder('from')), lt(salesBuckets.bucket, sql.placeholder('until'))))
		.groupBy(salesBuckets.currency, salesBuckets.method)
		.prepare()
);

// A group of stored days summed, per currency and method.
const summedDays = {
	currency: salesDays.currency,
	method: salesDays.method,
	orders: sql<number>`sum(${salesDays.orders})`,
	sales: sql<number>`sum(${salesDays.sales})`,
	revenue: sql<number>`sum(${salesDays.revenue})`
};

const daysSince = preparedFor((db) =>
	db
		.select(summedDays)
		.from(salesDays)
		.where(gte(salesDays.day, sql.placeholder('from')))
		.groupBy(salesDays.currency, salesDays.method)
		.prepare()
);

const storedZone = preparedFor((db) =>
	db.select({ offsetMs: salesDayZone.offsetMs }).from(salesDayZone).where(eq(salesDayZone.id, 1)).prepare()
);

/** The offset sales_days' days were cut with (see useSalesDayZone). */
export function storedDayOffset(): number {
	return storedZone().get()?.offsetMs ?? 0;
}

/** The first start of a stored day at or after `at`. */
export function dayFrom(at: number, offset: number): number {
	return Math.ceil((at + offset) / DAY_MS) * DAY_MS - offset;
}

/** Orders and sales since `since` per currency and method: whole stored days, then buckets, then orders at the edge. */
export function storedSince(since: number): StoredSales[] {
	const from = bucketFrom(since);
	const day = dayFrom(from, storedDayOffset());
	const rows = daysSince().all({ from: day });
	if (day > from) rows.push(...bucketsBetween().all({ from, until: day }));
	if (from > since) rows.push(...ordersBetween().all({ since, until: from }));
	const merged = new Map<string, StoredSales>();
	for (const r of rows) {
		const key = `${r.currency} ${r.method}`;
		const seen = merged.get(key);
		merged.set(
			key,
			seen
				? { ...seen, orders: seen.orders + r.orders, sales: seen.sales + r.sales, revenue: seen.revenue + r.revenue }
				: { ...r }
		);
	}
	return [...merged.values()];
}

/** Orders in [since, the first whole bucket after it): the few that storedSince reads from the orders themselves. */
export function ordersAtEdge(since: number): number {
	const from = bucketFrom(since);
	return from > since
		? ordersBetween()
				.all({ since, until: from })
				.reduce((sum, r) => sum + r.orders, 0)
		: 0;
}

// Bound numbers arrive as REAL: cast, so that the division is an integer one.
const offsetParam = sql`cast(${sql.placeholder('offset')} as integer)`;

const rebuildDays = preparedFor((db) =>
	db
		.insert(salesDays)
		.select(
			db
				.select({
					day: sql<number>`(${salesBuckets.bucket} + ${offsetParam}) / ${sql.raw(String(DAY_MS))} * ${sql.raw(String(DAY_MS))} - ${offsetParam}`.as(
						'day'
					),
					currency: salesBuckets.currency,
					method: salesBuckets.method,
					orders: sql<number>`sum(${salesBuckets.orders})`.as('orders'),
					sales: sql<number>`sum(${salesBuckets.sales})`.as('sales'),
					revenue: sql<number>`sum(${salesBuckets.revenue})`.as('revenue'),
					refunded: sql<number>`sum(${salesBuckets.refunded})`.as('refunded')
				})
				.from(salesBuckets)
				.groupBy(sql`1`, salesBuckets.currency, salesBuckets.method)
		)
		.prepare()
);

// The migration's backfill of subscriber_days, with the zone's offset as sales_day_zone holds it.
const rebuildSubscriberDays = preparedFor((db) =>
	db.$client.prepare(`insert into subscriber_days (day, signups, confirmations, still_confirmed)
		select day, sum(signups), sum(confirmations), sum(still_confirmed) from (
			select (s.created_at + z.offset_ms) / ${DAY_MS} * ${DAY_MS} - z.offset_ms as day, 1 as signups,
				0 as confirmations, 0 as still_confirmed
			from subscribers s, sales_day_zone z where z.id = 1
			union all
			select (s.confirmed_at + z.offset_ms) / ${DAY_MS} * ${DAY_MS} - z.offset_ms, 0, 1, s.status = 'confirmed'
			from subscribers s, sales_day_zone z where z.id = 1 and s.confirmed_at is not null
		) where true group by day`)
);

// The migration's backfill of source_days (0018), likewise.
const rebuildSourceDays = preparedFor((db) =>
	db.$client.prepare(`insert into source_days (day, source, signups, confirmations, purchases)
		select day, source, sum(signups), sum(confirmations), sum(purchases) from (
			select (s.created_at + z.offset_ms) / ${DAY_MS} * ${DAY_MS} - z.offset_ms as day,
				coalesce(s.source, '(unknown)') as source, 1 as signups, 0 as confirmations, 0 as purchases
			from subscribers s, sales_day_zone z where z.id = 1
			union all
			select (s.confirmed_at + z.offset_ms) / ${DAY_MS} * ${DAY_MS} - z.offset_ms, coalesce(s.source, '(unknown)'), 0, 1, 0
			from subscribers s, sales_day_zone z where z.id = 1 and s.confirmed_at is not null
			union all
			select (o.created_at + z.offset_ms) / ${DAY_MS} * ${DAY_MS} - z.offset_ms, coalesce(o.source, '(unknown)'), 0, 0, 1
			from orders o, sales_day_zone z where z.id = 1
		) where true group by day, source`)
);

/**
 * Cuts sales_days, subscriber_days and source_days with timeZone's offset now (their triggers read it), recutting them when it
 * changed: the migration cuts them at +6 h, and a store in another zone, or past a daylight saving change, recuts.
 */
export function useSalesDayZone(timeZone: string, now = Date.now()): void {
	const offset = zoneOffset(timeZone, now);
	if (storedDayOffset() === offset) return;
	writeTransaction(() => {
		const handle = db();
		handle
			.insert(salesDayZone)
			.values({ id: 1, offsetMs: offset })
			.onConflictDoUpdate({
				target: salesDayZone.id,
				set: { offsetMs: offset }
			})
			.run();
		handle.delete(salesDays).run();
		rebuildDays().run({ offset });
		handle.delete(subscriberDays).run();
		rebuildSubscriberDays().run();
		handle.delete(sourceDays).run();
		rebuildSourceDays().run();
	});
}

export interface PeriodSales {
	period: Period;
	/** Every order of the period, refunded ones included (the funnel's purchases). */
	orders: number;
	/** Per currency: sales and revenue (minor unit) in total and per method. */
	currencies: {
		currency: string;
		sales: number;
		revenue: number;
		methods: { method: string; sales: number; revenue: number }[];
	}[];
}

// Each stored day tagged with the shortest period it falls in (0 today … 3 the 90 days): the four periods in one read.
const periodsSince = preparedFor((db) =>
	db
		.select({
			shortest: sql<number>`case when ${salesDays.day} >= ${sql.placeholder('today')} then 0
				when ${salesDays.day} >= ${sql.placeholder('week')} then 1
				when ${salesDays.day} >= ${sql.placeholder('month')} then 2 else 3 end`,
			...summedDays
		})
		.from(salesDays)
		.where(gte(salesDays.day, sql.placeholder('quarter')))
		.groupBy(sql`1`, salesDays.currency, salesDays.method)
		.prepare()
);

/** Each period's stored sales per currency and method, refunded orders included. */
function storedByPeriod(timeZone: string, now: number): StoredSales[][] {
	const starts = PERIODS.map((period) => periodStart(period, timeZone, now));
	const offset = storedDayOffset();
	// Periods that start on stored days (the days were cut in the store's zone, as at every start) sum those days alone.
	if (!starts.every((start) => dayFrom(start, offset) === start)) return starts.map(storedSince);
	const [today, week, month, quarter] = starts;
	const rows = periodsSince().all({ today, week, month, quarter });
	return PERIODS.map((_, i) => {
		const merged = new Map<string, StoredSales>();
		for (const { shortest, ...r } of rows) {
			if (shortest > i) continue;
			const key = `${r.currency} ${r.method}`;
			const seen = merged.get(key);
			if (seen) {
				seen.orders += r.orders;
				seen.sales += r.sales;
				seen.revenue += r.revenue;
			} else merged.set(key, r);
		}
		return [...merged.values()];
	});
}

/** Each period's sales, refunded orders left out (a refund takes the sale back). */
export function salesByPeriod(timeZone: string, now = Date.now()): PeriodSales[] {
	return storedByPeriod(timeZone, now).map((stored, i) => {
		// A stretch whose orders were all refunded holds no sale: left out, as the orders' own sum would.
		const rows = stored.filter((r) => r.sales > 0);
		const currencies = [...new Set(rows.map((r) => r.currency))].sort().map((currency) => {
			const mine = rows.filter((r) => r.currency === currency).sort((a, b) => b.revenue - a.revenue);
			return {
				currency,
				sales: mine.reduce((s, r) => s + r.sales, 0),
				revenue: mine.reduce((s, r) => s + r.revenue, 0),
				methods: mine.map(({ method, sales, revenue }) => ({ method, sales, revenue }))
			};
		});
		return { period: PERIODS[i], orders: stored.reduce((sum, r) => sum + r.orders, 0), currencies };
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

const dailyStoredDays = preparedFor((db) =>
	db
		.select({
			day: salesDays.day,
			sales: sql<number>`sum(${salesDays.sales})`,
			revenue: sql<number>`sum(${salesDays.revenue})`
		})
		.from(salesDays)
		.where(and(gte(salesDays.day, sql.placeholder('from')), eq(salesDays.currency, sql.placeholder('currency'))))
		.groupBy(salesDays.day)
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
	const byDay = new Map<number, { sales: number; revenue: number }>();
	const rows: { day: number; sales: number; revenue: number }[] = [];
	if (storedDayOffset() === offset) {
		// The stored days are the chart's own: a period starts at one of them and runs to now.
		for (const r of dailyStoredDays().all({ from: since, currency }))
			rows.push({ ...r, day: Math.floor((r.day + offset) / DAY_MS) });
	} else {
		// Days cut with another offset (the server not yet restarted after a change): the buckets regrouped.
		const from = bucketFrom(since);
		rows.push(...dailyBuckets().all({ from, offset, currency }));
		if (from > since) rows.push(...dailyBetween().all({ since, until: from, offset, currency }));
	}
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
