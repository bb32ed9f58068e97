/**
 * Entitlement: whether a buyer keeps the course, recomputed from their orders and from what Stripe said later about
 * each payment (refunds, disputes). Who may read a given lesson is access.ts's question.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { enrolments, orders, paymentStates } from '../db/schema';

const NOW = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** Dispute statuses that end a dispute; an event that arrives late never reopens one. */
const CLOSED_DISPUTE = ['won', 'lost', 'warning_closed', 'prevented'];
/** Dispute statuses under which the buyer keeps access: none, won, or an inquiry closed without a chargeback. */
const HARMLESS_DISPUTE = [null, 'won', 'warning_closed', 'prevented'];

type Standing = 'good' | 'refunded' | 'disputed';

function standing(row: { refunded: boolean | null; disputeStatus: string | null }): Standing {
	if (row.refunded) return 'refunded';
	return HARMLESS_DISPUTE.includes(row.disputeStatus) ? 'good' : 'disputed';
}

const inList = (values: string[]) =>
	sql.join(
		values.map((s) => sql`${s}`),
		sql`, `
	);

const ordersOfUser = preparedFor((db) =>
	db
		.select({ id: orders.id, refunded: paymentStates.refunded, disputeStatus: paymentStates.disputeStatus })
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.where(eq(orders.userId, sql.placeholder('userId')))
		.orderBy(desc(orders.id))
		.prepare()
);

const upsertEnrolment = preparedFor((db) =>
	db
		.insert(enrolments)
		.values({
			userId: sql.placeholder('userId'),
			orderId: sql.placeholder('orderId'),
			status: sql.placeholder('status'),
			revokedReason: sql.placeholder('reason')
		})
		.onConflictDoUpdate({
			target: enrolments.userId,
			set: {
				orderId: sql`excluded.order_id`,
				// A revoke by the seller holds until the seller restores access, whatever payments say meanwhile.
				status: sql`case when ${enrolments.sellerRevokedAt} is null then excluded.status else 'revoked' end`,
				revokedReason: sql`case when ${enrolments.sellerRevokedAt} is null then excluded.revoked_reason else ${enrolments.revokedReason} end`,
				updatedAt: NOW
			}
		})
		.prepare()
);

const usersOfPayment = preparedFor((db) =>
	db
		.selectDistinct({ userId: orders.userId })
		.from(orders)
		.where(eq(orders.paymentIntentId, sql.placeholder('paymentIntentId')))
		.prepare()
);

const markRefunded = preparedFor((db) =>
	db
		.insert(paymentStates)
		.values({ paymentIntentId: sql.placeholder('paymentIntentId'), refunded: true })
		.onConflictDoUpdate({ target: paymentStates.paymentIntentId, set: { refunded: true, updatedAt: NOW } })
		.prepare()
);

const setDispute = preparedFor((db) =>
	db
		.insert(paymentStates)
		.values({ paymentIntentId: sql.placeholder('paymentIntentId'), disputeStatus: sql.placeholder('status') })
		.onConflictDoUpdate({
			target: paymentStates.paymentIntentId,
			set: {
				disputeStatus: sql`case when ${paymentStates.disputeStatus} in (${inList(CLOSED_DISPUTE)})
				and excluded.dispute_status not in (${inList(CLOSED_DISPUTE)})
				then ${paymentStates.disputeStatus} else excluded.dispute_status end`,
				updatedAt: NOW
			}
		})
		.prepare()
);

/**
 * Recomputes a student's enrolment from all their orders and what Stripe said about each payment:
 * active while one order stands (not refunded, not lost to a dispute). Call inside a write transaction.
 */
export function refreshEnrolment(userId: number): void {
	const rows = ordersOfUser().all({ userId });
	if (!rows.length) return;
	const good = rows.find((r) => standing(r) === 'good');
	const order = good ?? rows[0];
	upsertEnrolment().run({
		userId,
		orderId: order.id,
		status: good ? 'active' : 'revoked',
		reason: good ? null : standing(rows[0])
	});
}

function refreshPayers(paymentIntentId: string): void {
	for (const { userId } of usersOfPayment().all({ paymentIntentId })) refreshEnrolment(userId);
}

/** A full refund: kept even when no order has this payment yet, so a later fulfilment starts revoked. */
export function recordFullRefund(paymentIntentId: string): void {
	writeTransaction(() => {
		markRefunded().run({ paymentIntentId });
		refreshPayers(paymentIntentId);
	});
}

/** A dispute opened or closed; a closed dispute is never reopened by an older event arriving late. */
export function recordDispute(paymentIntentId: string, status: string): void {
	writeTransaction(() => {
		setDispute().run({ paymentIntentId, status });
		refreshPayers(paymentIntentId);
	});
}
