import { asc, countDistinct, desc, eq, sql } from 'drizzle-orm';
import { flushVisits } from '../analytics/visits';
import { course } from '../course';
import { db } from '../db';
import { preparedFor } from '../db/prepared';
import {
	enrolmentCounts,
	enrolments,
	lessonCompletions,
	listCounts,
	orders,
	paymentIssues as paymentIssuesTable,
	salesTotals,
	suppressions
} from '../db/schema';
import { listFailedMails, outboxCounts, type FailedMail } from '../mail/outbox';
import { listPendingClaims } from '../payments/wallet/review';
import { bucketFrom, dayFrom, ordersAtEdge, storedDayOffset, storedSince } from './sales';
import { subscriberDaysFrom, subscribersBetween } from './subscriber-days';
import { untilWritten } from './until-written';

export interface SalesFigures {
	orders: number;
	activeStudents: number;
	revokedStudents: number;
	/** Paid amounts by currency, in the minor unit, excluding refunded orders. */
	revenue: Record<string, number>;
	refunded: number;
	last7Days: number;
}

export interface MailFigures {
	pending: number;
	sent: number;
	failed: number;
	skipped: number;
}

export interface PaymentIssue {
	checkoutSessionId: string;
	kind: string;
	detail: string;
	createdAt: number;
}

export interface RecentOrder {
	id: number;
	email: string;
	name: string | null;
	amount: number;
	currency: string;
	promotionCode: string | null;
	createdAt: number;
	status: 'active' | 'revoked' | 'none';
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs the overview's reads in one read transaction: one snapshot for every figure on the page, and SQLite's WAL read
 * lock taken once rather than by each of some thirty statements (a third of the time of the small ones).
 */
export function readTogether<T>(read: () => T): T {
	// Visits waiting in memory are written first: a write inside a read transaction could meet a stale snapshot.
	flushVisits();
	return db().$client.transaction(read).deferred();
}

// The stored totals (sales_totals, sales_buckets, sales_days) are kept by triggers on orders and payment_states.
const totalsByCurrency = preparedFor((db) =>
	db
		.select({
			currency: salesTotals.currency,
			n: sql<number>`sum(${salesTotals.orders})`,
			refunded: sql<number>`sum(${salesTotals.refunded})`,
			kept: sql<number>`sum(${salesTotals.revenue})`
		})
		.from(salesTotals)
		.groupBy(salesTotals.currency)
		.prepare()
);

// Kept by triggers on enrolments (migration 0013), as 50,000 students are not counted on each visit.
const enrolmentsByStatus = preparedFor((db) =>
	db.select({ status: enrolmentCounts.status, n: enrolmentCounts.n }).from(enrolmentCounts).prepare()
);

/**
 * The totals, and the orders of the last 7 days: the stored part of those (whole 15-minute buckets on) is kept until
 * the next write or the next bucket; only the orders before the first whole bucket are read on every view.
 */
export function salesFigures(now = Date.now()): SalesFigures {
	const since = now - 7 * DAY_MS;
	const from = bucketFrom(since);
	const kept = untilWritten(`sales figures ${from}`, () => {
		const byCurrency = totalsByCurrency().all();
		const students = enrolmentsByStatus().all();
		const studentsWith = (status: string): number => students.find((s) => s.status === status)?.n ?? 0;
		return {
			orders: byCurrency.reduce((sum, o) => sum + o.n, 0),
			activeStudents: studentsWith('active'),
			revokedStudents: studentsWith('revoked'),
			revenue: Object.fromEntries(byCurrency.map((o) => [o.currency.toUpperCase(), o.kept])),
			refunded: byCurrency.reduce((sum, o) => sum + o.refunded, 0),
			// From a bucket's start, so storedSince reads no order: the edge is added below.
			last7Days: storedSince(from).reduce((sum, r) => sum + r.orders, 0)
		};
	});
	return { ...kept, last7Days: kept.last7Days + ordersAtEdge(since) };
}

export interface ListFigures {
	confirmed: number;
	pending: number;
	unsubscribed: number;
	/** Addresses no marketing mail goes to: bounced or complained. */
	suppressed: number;
	last7Days: number;
}

// Kept by triggers on subscribers (migration 0013): counting 200,000 rows on every visit is what it replaces.
const subscribersByStatus = preparedFor((db) =>
	db.select({ status: listCounts.status, n: listCounts.n }).from(listCounts).prepare()
);

const suppressedAddresses = preparedFor((db) =>
	db
		.select({ n: countDistinct(suppressions.email) })
		.from(suppressions)
		.prepare()
);

/**
 * The list's counts, and who confirmed in the last 7 days and still is: the stored whole days of those are kept until
 * the next write or the next day; only the confirmations before the first whole day are counted on every view.
 */
export function listFigures(now = Date.now()): ListFigures {
	const since = now - 7 * DAY_MS;
	const day = dayFrom(since, storedDayOffset());
	const kept = untilWritten(`list figures ${day}`, () => {
		const rows = subscribersByStatus().all();
		const withStatus = (status: string): number => rows.find((r) => r.status === status)?.n ?? 0;
		return {
			confirmed: withStatus('confirmed'),
			pending: withStatus('pending'),
			unsubscribed: withStatus('unsubscribed'),
			suppressed: suppressedAddresses().get()?.n ?? 0,
			last7Days: subscriberDaysFrom(day).stillConfirmed
		};
	});
	return { ...kept, last7Days: kept.last7Days + subscribersBetween(since, day).stillConfirmed };
}

/** The outbox as the seller reads it; mail/outbox.ts counts it. */
export function mailFigures(): MailFigures {
	const counts: Record<string, number> = outboxCounts();
	return {
		pending: counts.pending ?? 0,
		sent: counts.sent ?? 0,
		failed: counts.failed ?? 0,
		skipped: counts.skipped ?? 0
	};
}

const newestIssues = preparedFor((db) =>
	db
		.select({
			checkoutSessionId: paymentIssuesTable.checkoutSessionId,
			kind: paymentIssuesTable.kind,
			detail: paymentIssuesTable.detail,
			createdAt: paymentIssuesTable.createdAt
		})
		.from(paymentIssuesTable)
		.orderBy(desc(paymentIssuesTable.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

export function paymentIssues(limit = 50): PaymentIssue[] {
	return newestIssues().all({ limit });
}

/** Mails that could not be sent, newest first (mail/outbox.ts keeps them). */
export function failedMails(limit = 50): FailedMail[] {
	return listFailedMails(limit);
}

const newestOrders = preparedFor((db) =>
	db
		.select({
			id: orders.id,
			email: orders.buyerEmail,
			name: orders.buyerName,
			amount: orders.amount,
			currency: orders.currency,
			promotionCode: orders.promotionCode,
			createdAt: orders.createdAt,
			status: sql<RecentOrder['status']>`coalesce(${enrolments.status}, 'none')`
		})
		.from(orders)
		.leftJoin(enrolments, eq(enrolments.orderId, orders.id))
		.orderBy(desc(orders.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

export function recentOrders(limit = 20): RecentOrder[] {
	return newestOrders().all({ limit });
}

// Kept by triggers on progress and enrolments (migration 0013): done lessons of students with access.
const completionsByLesson = preparedFor((db) =>
	db.select({ slug: lessonCompletions.lessonSlug, done: lessonCompletions.n }).from(lessonCompletions).prepare()
);

/** How far students have got: how many finished each lesson, for the seller's overview. */
export function lessonCompletion(): { slug: string; title: string; done: number }[] {
	const done = new Map(
		completionsByLesson()
			.all()
			.map((r) => [r.slug, r.done])
	);
	return course().lessons.map((l) => ({ slug: l.slug, title: l.title, done: done.get(l.slug) ?? 0 }));
}

export interface MethodRevenue {
	method: string;
	currency: string;
	orders: number;
	/** In the minor unit, refunded orders left out. */
	kept: number;
	refunded: number;
}

const totalsByMethod = preparedFor((db) =>
	db
		.select({
			method: salesTotals.method,
			currency: salesTotals.currency,
			orders: salesTotals.orders,
			kept: salesTotals.revenue,
			refunded: salesTotals.refunded
		})
		.from(salesTotals)
		.where(sql`${salesTotals.orders} > 0`)
		.orderBy(asc(salesTotals.method), asc(salesTotals.currency))
		.prepare()
);

/** Revenue by how it was paid: Stripe in its currency, each wallet and the bank in BDT. */
export function revenueByMethod(): MethodRevenue[] {
	return totalsByMethod().all();
}

export interface StoredFigures {
	mail: MailFigures;
	issues: PaymentIssue[];
	failed: FailedMail[];
	orders: RecentOrder[];
	completion: { slug: string; title: string; done: number }[];
	byMethod: MethodRevenue[];
	waitingClaims: number;
}

/** The overview's counts and lists that only a write changes (none depends on the time), kept until the next write. */
export function storedFigures(): StoredFigures {
	return untilWritten('figures', () => ({
		mail: mailFigures(),
		issues: paymentIssues(),
		failed: failedMails(),
		orders: recentOrders(),
		completion: lessonCompletion(),
		byMethod: revenueByMethod(),
		waitingClaims: listPendingClaims().length
	}));
}
