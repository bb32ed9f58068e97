/** The desk's list of orders: newest first, paginated by key, searchable and filtered by status and method. */
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { db } from '../db';
import { enrolments, orders, paymentStates, WALLET_CLAIM_METHODS, type OrderMethod } from '../db/schema';
import { startsWith } from './search';

export const ORDER_STATUSES = ['paid', 'refunded', 'disputed', 'revoked'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * An order's standing, from what Stripe said about its payment and from its buyer's access: refunded, disputed
 * (a dispute not won or closed harmlessly), revoked (the buyer's access is ended), otherwise paid.
 * Needs payment_states and enrolments joined on the order.
 */
export const orderStatus = sql<OrderStatus>`case
	when coalesce(${paymentStates.refunded}, 0) = 1 then 'refunded'
	when ${paymentStates.disputeStatus} is not null
		and ${paymentStates.disputeStatus} not in ('won', 'warning_closed', 'prevented') then 'disputed'
	when ${enrolments.status} = 'revoked' then 'revoked'
	else 'paid' end`;

/** An order as the desk lists it and as its own page begins: the order, with its status read from its payment. */
export const orderColumns = {
	id: orders.id,
	userId: orders.userId,
	method: orders.method,
	email: orders.buyerEmail,
	name: orders.buyerName,
	amount: orders.amount,
	currency: orders.currency,
	promotionCode: orders.promotionCode,
	checkoutSessionId: orders.checkoutSessionId,
	paymentIntentId: orders.paymentIntentId,
	reference: orders.reference,
	livemode: orders.livemode,
	createdAt: orders.createdAt,
	status: orderStatus
};

export interface OrderRow {
	id: number;
	userId: number;
	method: OrderMethod;
	email: string;
	name: string | null;
	amount: number;
	currency: string;
	promotionCode: string | null;
	checkoutSessionId: string | null;
	paymentIntentId: string | null;
	reference: string | null;
	livemode: boolean;
	createdAt: number;
	status: OrderStatus;
}

export interface OrderFilter {
	query: string;
	status: OrderStatus | '';
	method: OrderMethod | '';
	/** Show orders with an id below this one (the last of the previous page). */
	before: number | null;
}

/**
 * What a search matches, each on an index: a Stripe id, a reference or a wallet TrxID exactly, an address or a
 * name by its beginning. Searching inside names would read every order, so it is not offered.
 */
function matching(query: string): SQL | undefined {
	const q = query.trim();
	if (!q) return undefined;
	if (/^(cs|pi)_\w+$/.test(q)) return or(eq(orders.checkoutSessionId, q), eq(orders.paymentIntentId, q));
	// An approved wallet claim's order carries "method:TrxID" as its payment id; TrxIDs are kept in capitals.
	const trx = q.toUpperCase();
	return or(
		startsWith(orders.buyerEmail, q.toLowerCase()),
		startsWith(orders.buyerName, q),
		eq(orders.reference, q),
		inArray(
			orders.paymentIntentId,
			WALLET_CLAIM_METHODS.map((m) => `${m}:${trx}`)
		)
	);
}

/**
 * Where the orders of a rare status are found without walking every order: disputes among the few payments Stripe
 * told us more about, revoked buyers on the partial index enrolments_revoked. Walking from the newest order, a
 * status that no order has would read all of them. Paid and refunded orders are common enough that walking from
 * the newest finds a page sooner than reading them all and sorting.
 */
function ofStatus(status: OrderStatus | ''): SQL | undefined {
	if (!status) return undefined;
	const is = sql`${orderStatus} = ${status}`;
	if (status === 'disputed')
		return and(
			inArray(
				orders.paymentIntentId,
				sql`(select payment_intent_id from payment_states where dispute_status is not null)`
			),
			is
		);
	if (status === 'revoked')
		return and(inArray(orders.userId, sql`(select user_id from enrolments where status = 'revoked')`), is);
	return is;
}

/** One page of orders (limit + 1 rows, so the caller knows whether there is a next page). */
export function listOrders(filter: OrderFilter, limit = 50): OrderRow[] {
	// Filters combine freely, so the statement is built per request: an admin page, not a reader's hot path.
	const where = and(
		filter.before != null ? lt(orders.id, filter.before) : undefined,
		filter.method ? eq(orders.method, filter.method) : undefined,
		ofStatus(filter.status),
		matching(filter.query)
	);
	return db()
		.select(orderColumns)
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.leftJoin(enrolments, eq(enrolments.userId, orders.userId))
		.where(where)
		.orderBy(desc(orders.id))
		.limit(limit + 1)
		.all();
}
