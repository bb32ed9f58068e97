/** One order as the desk shows it: buyer, money, how it was paid, its standing, its enrolment and its changes. */
import { and, eq, sql } from 'drizzle-orm';
import { listAudit, type AuditRow } from '../audit/log';
import { preparedFor } from '../db/prepared';
import { enrolments, orders, paymentStates, users, walletClaims, WALLET_CLAIM_METHODS } from '../db/schema';
import { orderColumns, type OrderRow } from './orders';

const p = sql.placeholder;

export interface OrderDetail extends OrderRow {
	buyer: { id: number; email: string; name: string | null };
	refunded: boolean;
	disputeStatus: string | null;
	/** The wallet transfer behind the order: its TrxID and the number it came from. */
	wallet: { trxId: string; sender: string | null; decidedBy: string | null } | null;
	/** The buyer's access, when this order is the one it rests on or the buyer has any. */
	enrolment: {
		status: 'active' | 'revoked';
		reason: string | null;
		enrolledAt: number;
		allLessonsOpen: boolean;
		/** Whether the enrolment was granted by this very order. */
		byThisOrder: boolean;
	} | null;
	audit: AuditRow[];
}

const orderRow = preparedFor((db) =>
	db
		.select({
			...orderColumns,
			refunded: sql<number>`coalesce(${paymentStates.refunded}, 0)`,
			disputeStatus: paymentStates.disputeStatus,
			buyerEmail: users.email,
			buyerName: users.name,
			enrolmentStatus: enrolments.status,
			enrolmentReason: enrolments.revokedReason,
			enrolledAt: enrolments.enrolledAt,
			enrolmentOrderId: enrolments.orderId,
			allLessonsOpen: enrolments.allLessonsOpen
		})
		.from(orders)
		.innerJoin(users, eq(users.id, orders.userId))
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.leftJoin(enrolments, eq(enrolments.userId, orders.userId))
		.where(eq(orders.id, p('id')))
		.prepare()
);

const claimOf = preparedFor((db) =>
	db
		.select({ trxId: walletClaims.trxId, sender: walletClaims.sender, decidedBy: walletClaims.decidedBy })
		.from(walletClaims)
		.where(and(eq(walletClaims.method, p('method')), eq(walletClaims.trxId, p('trxId'))))
		.prepare()
);

/** The TrxID in a wallet order's payment id ("bkash:8N7A…"), or null for other orders. */
function trxIdOf(method: string, paymentId: string | null): string | null {
	if (!paymentId || !(WALLET_CLAIM_METHODS as readonly string[]).includes(method)) return null;
	return paymentId.startsWith(`${method}:`) ? paymentId.slice(method.length + 1) : null;
}

/** Whether an audit entry of the buyer names this order (a manual enrolment records the order it made). */
function namesOrder(entry: AuditRow, id: number): boolean {
	for (const side of [entry.before, entry.after]) {
		if (!side) continue;
		try {
			if ((JSON.parse(side) as { orderId?: unknown }).orderId === id) return true;
		} catch {
			// An entry that is not JSON names no order.
		}
	}
	return false;
}

export function findOrder(id: number): OrderDetail | undefined {
	const row = orderRow().get({ id });
	if (!row) return undefined;
	const trxId = trxIdOf(row.method, row.paymentIntentId);
	const claim = trxId ? claimOf().get({ method: row.method, trxId }) : undefined;
	const audit = [
		...listAudit({ limit: 50 }, { type: 'order', id }),
		...listAudit({ limit: 50 }, { type: 'user', id: row.userId }).filter((a) => namesOrder(a, id))
	].sort((a, b) => b.id - a.id);
	return {
		id: row.id,
		userId: row.userId,
		method: row.method,
		email: row.email,
		name: row.name,
		amount: row.amount,
		currency: row.currency,
		promotionCode: row.promotionCode,
		checkoutSessionId: row.checkoutSessionId,
		paymentIntentId: row.paymentIntentId,
		reference: row.reference,
		livemode: row.livemode,
		createdAt: row.createdAt,
		status: row.status,
		buyer: { id: row.userId, email: row.buyerEmail, name: row.buyerName },
		refunded: row.refunded === 1,
		disputeStatus: row.disputeStatus,
		wallet: trxId ? { trxId, sender: claim?.sender ?? null, decidedBy: claim?.decidedBy ?? null } : null,
		enrolment:
			row.enrolmentStatus && row.enrolledAt != null
				? {
						status: row.enrolmentStatus,
						reason: row.enrolmentReason,
						enrolledAt: row.enrolledAt,
						allLessonsOpen: row.allLessonsOpen ?? false,
						byThisOrder: row.enrolmentOrderId === row.id
					}
				: null,
		audit
	};
}
