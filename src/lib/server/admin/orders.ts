/** The desk's list of orders: newest first, paginated by key, searchable and filtered by status and method. */
import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import {
	enrolmentCounts,
	enrolments,
	orders,
	paymentStates,
	WALLET_CLAIM_METHODS,
	type OrderMethod
} from '../db/schema';
import { walletPaymentId } from '../payments/wallet/review';
import { startsWith } from './search';
import { untilWritten } from './until-written';

const p = sql.placeholder;

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

type QueryKind = '' | 'stripe-id' | 'text';
/** What a method filter lets through, as far as the plan is concerned. */
type MethodKind = 'any' | 'stripe' | 'wallet' | 'manual';

/** A search's kind: none, a Stripe id (checkout session or payment), or text matched on several indexes. */
function queryKind(query: string): QueryKind {
	if (!query) return '';
	return /^(cs|pi)_\w+$/.test(query) ? 'stripe-id' : 'text';
}

/**
 * What a search matches, each on an index: a Stripe id, a reference or a wallet TrxID exactly, an address or a
 * name by its beginning. Searching inside names would read every order, so it is not offered.
 */
function matching(kind: QueryKind): SQL | undefined {
	if (kind === 'stripe-id') return or(eq(orders.checkoutSessionId, p('q')), eq(orders.paymentIntentId, p('q')));
	if (kind === 'text')
		return or(
			startsWith(orders.buyerEmail, p('email')),
			startsWith(orders.buyerName, p('q')),
			eq(orders.reference, p('q')),
			// An approved wallet claim's order carries "method:TrxID" as its payment id.
			inArray(
				orders.paymentIntentId,
				WALLET_CLAIM_METHODS.map((m) => p(`trx_${m}`))
			)
		);
	return undefined;
}

/**
 * Where the orders of a rare status are found without walking every order: disputes among the few payments Stripe
 * told us more about, revoked buyers on the partial index enrolments_revoked, refunds of a wallet (a claim taken
 * back) among that wallet's refunded payments. Walking from the newest order, a status that no order has would
 * read all of them. Paid orders, and refunds of Stripe or any method, are common enough that walking from the
 * newest finds a page sooner than reading them all and sorting; a manual order's refunds (it has no payment to
 * refund) are looked for among the manual orders alone, on orders_method.
 */
function ofStatus(status: OrderStatus | '', methods: MethodKind, walk: boolean): SQL | undefined {
	if (!status) return undefined;
	const is = sql`${orderStatus} = ${status}`;
	if (walk) return is;
	if (status === 'disputed')
		return and(
			inArray(
				orders.paymentIntentId,
				// Only the payments whose dispute is open, and not refunded: the disputed orders, not every one ever disputed.
				sql`(select payment_intent_id from payment_states where dispute_status is not null
					and dispute_status not in ('won', 'warning_closed', 'prevented') and coalesce(refunded, 0) = 0)`
			),
			is
		);
	if (status === 'revoked')
		return and(inArray(orders.userId, sql`(select user_id from enrolments where status = 'revoked')`), is);
	// A wallet order's payment id begins with its method (walletPaymentId): its refunds are a range of the key.
	if (status === 'refunded' && methods === 'wallet')
		return and(
			inArray(
				orders.paymentIntentId,
				sql`(select payment_intent_id from payment_states where ${startsWith(paymentStates.paymentIntentId, p('walletPrefix'))} and refunded = 1)`
			),
			is
		);
	return is;
}

/** One statement per combination of filters (a few dozen at most), prepared once per connection. */
const statements = new Map<string, ReturnType<typeof prepareList>>();

const newestOrderId = preparedFor((handle) =>
	handle
		.select({ id: sql<number | null>`max(${orders.id})` })
		.from(orders)
		.prepare()
);

const openDisputes = preparedFor((handle) =>
	handle
		.select({ n: count() })
		.from(paymentStates)
		.where(
			sql`${paymentStates.disputeStatus} is not null and ${paymentStates.disputeStatus} not in ('won', 'warning_closed', 'prevented') and coalesce(${paymentStates.refunded}, 0) = 0`
		)
		.prepare()
);

const revokedBuyers = preparedFor((handle) =>
	handle.select({ n: enrolmentCounts.n }).from(enrolmentCounts).where(eq(enrolmentCounts.status, 'revoked')).prepare()
);

/**
 * Whether a page of a status is found sooner by walking from the newest order than by reading the status's own few
 * (ofStatus) and sorting them. Measured at 100,000 orders, a walked order costs about an eighth of a looked-up one,
 * and a page of 25 at a status that n orders have walks some 25 × orders / n: walking wins once n² > 3 × orders.
 * Paid orders and refunds (but a wallet's) are always common enough; a disputed or revoked one is weighed each time.
 */
function walksFor(status: OrderStatus, methods: MethodKind): boolean {
	if (status === 'paid' || (status === 'refunded' && methods !== 'wallet')) return true;
	if (status === 'refunded') return false;
	const few = untilWritten(`orders ${status}`, () =>
		status === 'disputed' ? (openDisputes().get()?.n ?? 0) : (revokedBuyers().get()?.n ?? 0)
	);
	return few * few > 3 * (newestOrderId().get()?.id ?? 0);
}

function prepareList(before: boolean, methods: MethodKind, status: OrderStatus | '', kind: QueryKind, walk = false) {
	return preparedFor((handle) =>
		handle
			.select(orderColumns)
			.from(orders)
			.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
			.leftJoin(enrolments, eq(enrolments.userId, orders.userId))
			.where(
				and(
					before ? lt(orders.id, p('before')) : undefined,
					methods === 'any'
						? undefined
						: !walk &&
							  (status === 'disputed' || status === 'revoked' || (status === 'refunded' && methods === 'wallet'))
							? // Unary plus: checked on the status's few orders, rather than walking the method's on orders_method.
								sql`+${orders.method} = ${p('method')}`
							: eq(orders.method, p('method')),
					ofStatus(status, methods, walk),
					matching(kind)
				)
			)
			.orderBy(desc(orders.id))
			.limit(p('limit'))
			.prepare()
	);
}

/** One page of orders (limit + 1 rows, so the caller knows whether there is a next page). */
export function listOrders(filter: OrderFilter, limit = 50): OrderRow[] {
	const q = filter.query.trim();
	const kind = queryKind(q);
	const before = filter.before != null;
	const methods: MethodKind = !filter.method
		? 'any'
		: filter.method === 'stripe' || filter.method === 'manual'
			? filter.method
			: 'wallet';
	// A search is served by its indexes; a status is walked to, or read from its own few (walksFor).
	const walk = !kind && filter.status !== '' && walksFor(filter.status, methods);
	const key = `${before} ${methods} ${filter.status} ${kind} ${walk}`;
	let statement = statements.get(key);
	if (!statement) statements.set(key, (statement = prepareList(before, methods, filter.status, kind, walk)));
	// TrxIDs are kept in capitals, addresses in lower case.
	const trx = q.toUpperCase();
	return statement().all({
		before: filter.before,
		method: filter.method,
		q,
		email: q.toLowerCase(),
		walletPrefix: walletPaymentId(filter.method, ''),
		...Object.fromEntries(WALLET_CLAIM_METHODS.map((m) => [`trx_${m}`, `${m}:${trx}`])),
		limit: limit + 1
	});
}
