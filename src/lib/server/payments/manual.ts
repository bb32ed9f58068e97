/** Enrolment by hand: a buyer who paid outside the store gets the same order, enrolment and welcome mail as a sale. */
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { enrolments, orders } from '../db/schema';
import { wakeSender } from '../mail/sender';
import { enrolBuyer, upsertBuyer } from './fulfil';

export interface ManualOrder {
	email: string;
	name: string | null;
	/** In the currency's minor unit. */
	amount: number;
	currency: string;
	reference: string | null;
}

export type ManualResult =
	| { status: 'enrolled'; userId: number; orderId: number }
	/** Already a student with access: nothing written, so a repeated or concurrent form makes one order. */
	| { status: 'already'; userId: number }
	/** The seller revoked this student's access: restore it instead. */
	| { status: 'revoked-by-seller'; userId: number };

const enrolmentOf = preparedFor((db) =>
	db
		.select({ status: enrolments.status, sellerRevokedAt: enrolments.sellerRevokedAt })
		.from(enrolments)
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

const insertManualOrder = preparedFor((db) =>
	db
		.insert(orders)
		.values({
			method: 'manual',
			userId: sql.placeholder('userId'),
			amount: sql.placeholder('amount'),
			currency: sql.placeholder('currency'),
			buyerEmail: sql.placeholder('email'),
			buyerName: sql.placeholder('name'),
			reference: sql.placeholder('reference')
		})
		.returning({ id: orders.id })
		.prepare()
);

/**
 * Records a manual order and enrols its buyer, in one transaction with its audit entry. BEGIN IMMEDIATE queues
 * concurrent calls, and each looks at the enrolment inside its transaction: only the first makes an order.
 */
export function enrolByHand(o: ManualOrder, actor: string): ManualResult {
	const result = writeTransaction((): ManualResult => {
		const user = upsertBuyer().get({ email: o.email, name: o.name });
		const current = enrolmentOf().get({ userId: user.id });
		if (current?.sellerRevokedAt != null) return { status: 'revoked-by-seller', userId: user.id };
		if (current?.status === 'active') return { status: 'already', userId: user.id };
		const order = insertManualOrder().get({ ...o, userId: user.id });
		enrolBuyer({
			userId: user.id,
			orderId: order.id,
			email: o.email,
			name: o.name,
			mailKey: `welcome:manual:${order.id}`,
			browser: null
		});
		recordAudit({
			actor,
			action: 'enrol',
			subjectType: 'user',
			subjectId: user.id,
			before: current ? { enrolment: current.status } : null,
			after: { enrolment: 'active', orderId: order.id, amount: o.amount, currency: o.currency, reference: o.reference }
		});
		return { status: 'enrolled', userId: user.id, orderId: order.id };
	});
	if (result.status === 'enrolled') wakeSender();
	return result;
}
