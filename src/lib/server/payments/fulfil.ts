import { and, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { oneLineName } from '../auth/user';
import { course, type Course } from '../course';
import { groupWrite } from '../db/group-write';
import { preparedFor } from '../db/prepared';
import { enrolments, orders, paymentIssues, users, type OrderMethod } from '../db/schema';
import { EmailAddress } from '../email-address';
import { queueMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import { leaveLeadSequence, startStudentSequence } from '../mail/sequences';
import { refreshEnrolment } from './entitlement';
import { checkoutBrowserHash, isBoundCheckout } from './binding';
import { retrieveCheckoutSession, type CheckoutFacts } from './checkout-session';
import { recordStripeEvent, type StripeEventRef } from './stripe-events';

export type FulfilResult =
	| { status: 'fulfilled'; orderId: number; userId: number; firstTime: boolean }
	/** Not paid (yet): an asynchronous payment method that has not settled, or an abandoned checkout. */
	| { status: 'unpaid' }
	| { status: 'not-found' }
	/** A session of another product on the same Stripe account: none of our business. */
	| { status: 'other-product' }
	/** Paid, but something the seller must look at (recorded in payment_issues); nothing granted. */
	| { status: 'needs-review' };

/** Kinds of payment issue for a completed checkout whose session could not be read; cleared once it is fulfilled. */
export const UNREAD_SESSION_ISSUES = ['session_not_found', 'session_unreadable'] as const;

/** The buyer's account: created on a first purchase, keeping a name it already has. Shared with manual orders. */
export const upsertBuyer = preparedFor((db) =>
	db
		.insert(users)
		.values({ email: sql.placeholder('email'), name: sql.placeholder('name') })
		.onConflictDoUpdate({ target: users.email, set: { name: sql`coalesce(${users.name}, excluded.name)` } })
		.returning({ id: users.id })
		.prepare()
);

const insertOrder = preparedFor((db) =>
	db
		.insert(orders)
		.values({
			method: sql.placeholder('method'),
			checkoutSessionId: sql.placeholder('checkoutSessionId'),
			paymentIntentId: sql.placeholder('paymentIntentId'),
			userId: sql.placeholder('userId'),
			amount: sql.placeholder('amount'),
			currency: sql.placeholder('currency'),
			promotionCode: sql.placeholder('promotionCode'),
			buyerEmail: sql.placeholder('buyerEmail'),
			buyerName: sql.placeholder('buyerName'),
			livemode: sql.placeholder('livemode'),
			source: sql.placeholder('source')
		})
		.onConflictDoNothing({ target: orders.checkoutSessionId })
		.returning({ id: orders.id })
		.prepare()
);

const enrolmentStart = preparedFor((db) =>
	db
		.select({ enrolledAt: enrolments.enrolledAt })
		.from(enrolments)
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

const orderOfSession = preparedFor((db) =>
	db
		.select({ id: orders.id, userId: orders.userId })
		.from(orders)
		.where(eq(orders.checkoutSessionId, sql.placeholder('checkoutSessionId')))
		.prepare()
);

const recordIssue = preparedFor((db) =>
	db
		.insert(paymentIssues)
		.values({
			checkoutSessionId: sql.placeholder('checkoutSessionId'),
			kind: sql.placeholder('kind'),
			detail: sql.placeholder('detail')
		})
		.onConflictDoNothing()
		.prepare()
);

const clearUnreadIssues = preparedFor((db) =>
	db
		.delete(paymentIssues)
		.where(
			and(
				eq(paymentIssues.checkoutSessionId, sql.placeholder('checkoutSessionId')),
				inArray(paymentIssues.kind, [...UNREAD_SESSION_ISSUES])
			)
		)
		.prepare()
);

/** Why a paid session does not match the catalogue, or undefined when it does. Discounts come from promotion codes. */
function amountProblem(s: CheckoutFacts, c: Course): string | undefined {
	if (s.currency !== c.currency) return `currency ${s.currency} instead of ${c.currency}`;
	if (s.amountSubtotal !== c.price) return `price ${s.amountSubtotal} instead of ${c.price}`;
	if (s.amountTotal === null || s.amountTotal !== s.amountSubtotal - s.amountDiscount || s.amountTotal < 0)
		return `total ${s.amountTotal} is not the price ${c.price} less the discount ${s.amountDiscount}`;
	return undefined;
}

export function recordPaymentIssue(checkoutSessionId: string, kind: string, detail: string): void {
	console.warn(`payment issue (${kind}) for ${checkoutSessionId}: ${detail}`);
	recordIssue().run({ checkoutSessionId, kind, detail });
}

/** A paid order as every way of paying records it: Stripe, a wallet or a bank transfer. */
export interface Purchase {
	method: OrderMethod;
	/** Stripe orders only; null for every other method. */
	checkoutSessionId: string | null;
	/** Stripe's payment intent, or "<method>:<TrxID>" for a wallet, so refunds and revocations share payment_states. */
	paymentIntentId: string | null;
	email: string;
	name: string | null;
	amount: number;
	currency: string;
	promotionCode: string | null;
	livemode: boolean;
	/** The welcome mail's outbox key: one welcome per purchase. */
	mailKey: string;
	/** The buyer's browser (hash of its cookie), so the mail's sign-in code works there; null when unknown. */
	browser: string | null;
	/** Where the buyer came from when they started paying (the funnel by source); null when unknown. */
	source: string | null;
}

/**
 * The part of fulfilment every way of paying shares: the student, the order, the enrolment, the welcome mail and
 * the student sequence. Call inside a write transaction; undefined when this Stripe session has its order already.
 */
export function grantPurchase(p: Purchase): { orderId: number; userId: number } | undefined {
	const name = oneLineName(p.name ?? '').slice(0, 200) || null;
	const user = upsertBuyer().get({ email: p.email, name });
	const order = insertOrder().get({
		method: p.method,
		checkoutSessionId: p.checkoutSessionId,
		paymentIntentId: p.paymentIntentId,
		userId: user.id,
		amount: p.amount,
		currency: p.currency,
		promotionCode: p.promotionCode,
		buyerEmail: p.email,
		buyerName: name,
		livemode: p.livemode ? 1 : 0,
		source: p.source
	});
	if (!order) return undefined;
	enrolBuyer({ userId: user.id, orderId: order.id, email: p.email, name, mailKey: p.mailKey, browser: p.browser });
	return { orderId: order.id, userId: user.id };
}

export interface NewOrderFacts {
	userId: number;
	orderId: number;
	email: string;
	name: string | null;
	/** The welcome mail's idempotency key: one mail per order, however often this runs. */
	mailKey: string;
	browser: string | null;
}

/**
 * What every paid order does once it is written, whatever paid it (a sale, a wallet claim, the seller by hand):
 * the enrolment, the welcome mail and the student's sequence. Call it inside the transaction that wrote the order.
 */
export function enrolBuyer(o: NewOrderFacts): void {
	refreshEnrolment(o.userId);
	queueMail({
		key: o.mailKey,
		template: 'welcome',
		to: o.email,
		params: { name: o.name, orderId: o.orderId, browser: o.browser }
	});
	// A buyer stops getting sales mail and starts the mails that walk them through the course.
	leaveLeadSequence(o.email);
	const enrolledAt = enrolmentStart().get({ userId: o.userId })?.enrolledAt ?? Date.now();
	startStudentSequence(o.userId, o.email, enrolledAt);
}

/**
 * One savepoint: the student, the order, the enrolment and the welcome mail, written together or not at all;
 * with the webhook event that brought the sale, when one did. Resolves once committed, in a group of such writes.
 */
function recordPurchase(
	s: CheckoutFacts,
	email: string,
	amount: number,
	event?: StripeEventRef
): Promise<FulfilResult> {
	return groupWrite((): FulfilResult => {
		const granted = grantPurchase({
			method: 'stripe',
			checkoutSessionId: s.id,
			paymentIntentId: s.paymentIntentId,
			email,
			name: s.name,
			amount,
			// amountProblem() found it equal to the catalogue's.
			currency: s.currency!,
			promotionCode: s.promotionCode,
			livemode: s.livemode,
			mailKey: `welcome:${s.id}`,
			// The buyer's browser, so that the mail's sign-in code works there (the success page claims the binding later).
			browser: checkoutBrowserHash(s.id),
			source: s.source
		});
		if (!granted) {
			const existing = orderOfSession().get({ checkoutSessionId: s.id })!;
			return { status: 'fulfilled', orderId: existing.id, userId: existing.userId, firstTime: false };
		}
		// The sale is in: a warning that its session could not be read before is over.
		clearUnreadIssues().run({ checkoutSessionId: s.id });
		if (event) recordStripeEvent().run({ id: event.id, type: event.type });
		return { status: 'fulfilled', orderId: granted.orderId, userId: granted.userId, firstTime: true };
	});
}

/**
 * Grants the course for a paid Checkout Session, exactly once however many times and however concurrently
 * it is called (webhook deliveries, the success page). The session is read from Stripe outside any transaction.
 * startedHere: read it only if this store started it (its checkout binding is kept), as for an unsigned request.
 */
export async function fulfil(
	checkoutSessionId: string,
	{ startedHere = false, event }: { startedHere?: boolean; event?: StripeEventRef } = {}
): Promise<FulfilResult> {
	// Already fulfilled: the order is the proof, and redeliveries need not call Stripe again.
	const existing = orderOfSession().get({ checkoutSessionId });
	if (existing) return { status: 'fulfilled', orderId: existing.id, userId: existing.userId, firstTime: false };
	if (startedHere && !isBoundCheckout(checkoutSessionId)) return { status: 'not-found' };

	const session = await retrieveCheckoutSession(checkoutSessionId);
	if (!session) return { status: 'not-found' };
	const c = course();
	if (session.courseId !== c.id || session.mode !== 'payment') return { status: 'other-product' };
	// As in Stripe's fulfilment guide, "no_payment_required" (a 100% promotion code) fulfils too.
	if (session.paymentStatus !== 'paid' && session.paymentStatus !== 'no_payment_required') return { status: 'unpaid' };

	const problem = amountProblem(session, c);
	if (problem) {
		recordPaymentIssue(session.id, 'amount_mismatch', problem);
		return { status: 'needs-review' };
	}
	const email = v.safeParse(EmailAddress, session.email ?? '');
	if (!email.success) {
		recordPaymentIssue(session.id, 'missing_email', `no usable buyer email: ${JSON.stringify(session.email)}`);
		return { status: 'needs-review' };
	}
	const result = await recordPurchase(session, email.output, session.amountTotal!, event);
	// The welcome mail carries the sign-in link: send it now rather than at the next scheduler tick.
	if (result.status === 'fulfilled' && result.firstTime) wakeSender();
	return result;
}

const orderById = preparedFor((db) =>
	db
		.select({ id: orders.id, userId: orders.userId, amount: orders.amount, currency: orders.currency })
		.from(orders)
		.where(eq(orders.id, sql.placeholder('id')))
		.prepare()
);

/** What the welcome mail's receipt names: the order, its amount and currency, and its buyer. */
export function findOrder(id: number): { id: number; userId: number; amount: number; currency: string } | undefined {
	return orderById().get({ id });
}
