import { course } from '../course';
import { db } from '../db';

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

export interface FailedMail {
	id: number;
	to: string;
	template: string;
	error: string | null;
	attempts: number;
}

export interface RecentOrder {
	id: number;
	email: string;
	name: string | null;
	amount: number;
	currency: string;
	promotionCode: string | null;
	createdAt: number;
	status: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function salesFigures(now = Date.now()): SalesFigures {
	const client = db().$client;
	const orders = client
		.prepare(
			`select o.currency, count(*) as n, sum(o.amount) as amount,
			        sum(coalesce(p.refunded, 0)) as refunded,
			        sum(case when coalesce(p.refunded, 0) = 0 then o.amount else 0 end) as kept,
			        sum(case when o.created_at >= ? then 1 else 0 end) as recent
			   from orders o left join payment_states p on p.payment_intent_id = o.payment_intent_id
			  group by o.currency`
		)
		.all(now - 7 * DAY_MS) as { currency: string; n: number; refunded: number; kept: number; recent: number }[];
	const students = client.prepare('select status, count(*) as n from enrolments group by status').all() as {
		status: string;
		n: number;
	}[];
	const count = (status: string): number => students.find((s) => s.status === status)?.n ?? 0;
	return {
		orders: orders.reduce((sum, o) => sum + o.n, 0),
		activeStudents: count('active'),
		revokedStudents: count('revoked'),
		revenue: Object.fromEntries(orders.map((o) => [o.currency.toUpperCase(), o.kept])),
		refunded: orders.reduce((sum, o) => sum + o.refunded, 0),
		last7Days: orders.reduce((sum, o) => sum + o.recent, 0)
	};
}

export interface ListFigures {
	confirmed: number;
	pending: number;
	unsubscribed: number;
	/** Addresses no marketing mail goes to: bounced or complained. */
	suppressed: number;
	last7Days: number;
}

export function listFigures(now = Date.now()): ListFigures {
	const client = db().$client;
	const rows = client.prepare('select status, count(*) as n from subscribers group by status').all() as {
		status: string;
		n: number;
	}[];
	const count = (status: string): number => rows.find((r) => r.status === status)?.n ?? 0;
	const suppressed = client.prepare('select count(distinct email) as n from suppressions').get() as { n: number };
	const recent = client
		.prepare("select count(*) as n from subscribers where status = 'confirmed' and confirmed_at >= ?")
		.get(now - 7 * DAY_MS) as { n: number };
	return {
		confirmed: count('confirmed'),
		pending: count('pending'),
		unsubscribed: count('unsubscribed'),
		suppressed: suppressed.n,
		last7Days: recent.n
	};
}

export function mailFigures(): MailFigures {
	const rows = db().$client.prepare('select status, count(*) as n from outbox group by status').all() as {
		status: keyof MailFigures;
		n: number;
	}[];
	const figures: MailFigures = { pending: 0, sent: 0, failed: 0, skipped: 0 };
	for (const row of rows) figures[row.status] = row.n;
	return figures;
}

export function paymentIssues(limit = 50): PaymentIssue[] {
	return db()
		.$client.prepare(
			`select checkout_session_id as checkoutSessionId, kind, detail, created_at as createdAt
			   from payment_issues order by id desc limit ?`
		)
		.all(limit) as PaymentIssue[];
}

export function failedMails(limit = 50): FailedMail[] {
	return db()
		.$client.prepare(
			`select id, to_email as "to", template, last_error as error, attempts
			   from outbox where status = 'failed' order by id desc limit ?`
		)
		.all(limit) as FailedMail[];
}

export function recentOrders(limit = 20): RecentOrder[] {
	return db()
		.$client.prepare(
			`select o.id, o.buyer_email as email, o.buyer_name as name, o.amount, o.currency,
			        o.promotion_code as promotionCode, o.created_at as createdAt,
			        coalesce(e.status, 'none') as status
			   from orders o left join enrolments e on e.order_id = o.id
			  order by o.id desc limit ?`
		)
		.all(limit) as RecentOrder[];
}

/** How far students have got: how many finished each lesson, for the seller's overview. */
export function lessonCompletion(): { slug: string; title: string; done: number }[] {
	const rows = db()
		.$client.prepare(
			`select p.lesson_slug as slug, count(*) as done from progress p
			   join enrolments e on e.user_id = p.user_id and e.status = 'active'
			  where p.completed_at is not null group by p.lesson_slug`
		)
		.all() as { slug: string; done: number }[];
	const done = new Map(rows.map((r) => [r.slug, r.done]));
	return course().lessons.map((l) => ({ slug: l.slug, title: l.title, done: done.get(l.slug) ?? 0 }));
}
