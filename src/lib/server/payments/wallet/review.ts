/**
 * Deciding a wallet claim: approved by the seller, by the wallet's own SMS or by a statement row, through the same
 * grantPurchase() as a Stripe sale, exactly once; rejected with a reason mailed to the buyer; or revoked later.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { course } from '../../course';
import { writeTransaction } from '../../db';
import { preparedFor } from '../../db/prepared';
import { walletClaims, walletMessages, type WalletClaimStatus } from '../../db/schema';
import { queueMail } from '../../mail/outbox';
import { wakeSender } from '../../mail/sender';
import { recordFullRefund } from '../entitlement';
import { grantPurchase } from '../fulfil';

export type Decision =
	| { status: 'done'; orderId: number | null }
	| { status: 'not-found' }
	/** Someone (another admin, an SMS) decided first: nothing changed. */
	| { status: 'already'; current: WalletClaimStatus };

/** Pending claims older than this are flagged on /admin/payments. */
export const STALE_CLAIM_MS = 2 * 24 * 60 * 60 * 1000;

/** The payment id a wallet order carries, so a revocation marks it refunded like a Stripe refund. */
export const walletPaymentId = (method: string, trxId: string): string => `${method}:${trxId}`;

const claimRow = preparedFor((db) =>
	db
		.select()
		.from(walletClaims)
		.where(eq(walletClaims.id, sql.placeholder('id')))
		.prepare()
);

const markDecided = preparedFor((db) =>
	db
		.update(walletClaims)
		.set({
			status: sql`${sql.placeholder('status')}`,
			orderId: sql`coalesce(${sql.placeholder('orderId')}, ${walletClaims.orderId})`,
			reason: sql`${sql.placeholder('reason')}`,
			decidedBy: sql`${sql.placeholder('by')}`,
			decidedAt: sql`${sql.placeholder('now')}`
		})
		.where(and(eq(walletClaims.id, sql.placeholder('id')), eq(walletClaims.status, sql.placeholder('from'))))
		.returning({ id: walletClaims.id })
		.prepare()
);

/** Inside a write transaction: the order, the enrolment and the welcome mail, then the claim marked approved. */
function approveInTransaction(id: number, by: string, now: number): Decision {
	const claim = claimRow().get({ id });
	if (!claim) return { status: 'not-found' };
	if (claim.status !== 'pending') return { status: 'already', current: claim.status };
	const granted = grantPurchase({
		method: claim.method,
		checkoutSessionId: null,
		paymentIntentId: walletPaymentId(claim.method, claim.trxId),
		email: claim.email,
		name: claim.name,
		amount: course().manualPayments.bdtPrice ?? claim.amount,
		currency: 'BDT',
		promotionCode: null,
		livemode: true,
		mailKey: `welcome:wallet:${claim.id}`,
		browser: claim.browserHash,
		source: claim.source
	});
	// Only a Stripe session can have its order already; a wallet order is new by construction.
	if (!granted) throw new Error(`wallet claim ${id}: no order was written`);
	markDecided().get({ id, status: 'approved', from: 'pending', orderId: granted.orderId, reason: null, by, now });
	return { status: 'done', orderId: granted.orderId };
}

/**
 * Approves a pending claim, exactly once however many admins tap at the same moment: the write transaction
 * serialises them, and all but the first find the claim decided.
 */
export function approveClaim(id: number, by: string, now = Date.now()): Decision {
	const result = writeTransaction(() => approveInTransaction(id, by, now));
	if (result.status === 'done') wakeSender();
	return result;
}

/** Rejects a pending claim and mails the buyer the reason; its TrxID stays used. */
export function rejectClaim(id: number, by: string, reason: string, now = Date.now()): Decision {
	const result = writeTransaction((): Decision => {
		const claim = claimRow().get({ id });
		if (!claim) return { status: 'not-found' };
		if (!markDecided().get({ id, status: 'rejected', from: 'pending', orderId: null, reason, by, now }))
			return { status: 'already', current: claim.status };
		queueMail({ key: `wallet-rejected:${id}`, template: 'wallet-rejected', to: claim.email, params: { claimId: id } });
		return { status: 'done', orderId: null };
	});
	if (result.status === 'done') wakeSender();
	return result;
}

/** Takes an approved claim back (the money is returned by hand): access ends at once, revenue counts it refunded. */
export function revokeClaim(id: number, by: string, reason: string, now = Date.now()): Decision {
	return writeTransaction((): Decision => {
		const claim = claimRow().get({ id });
		if (!claim) return { status: 'not-found' };
		if (!markDecided().get({ id, status: 'revoked', from: 'approved', orderId: null, reason, by, now }))
			return { status: 'already', current: claim.status };
		recordFullRefund(walletPaymentId(claim.method, claim.trxId));
		return { status: 'done', orderId: claim.orderId };
	});
}

const claimOfTrx = preparedFor((db) =>
	db
		.select({ id: walletClaims.id, status: walletClaims.status })
		.from(walletClaims)
		.where(and(eq(walletClaims.method, sql.placeholder('method')), eq(walletClaims.trxId, sql.placeholder('trxId'))))
		.prepare()
);

const unusedMessageOf = preparedFor((db) =>
	db
		.select({ id: walletMessages.id, amount: walletMessages.amount })
		.from(walletMessages)
		.where(
			and(
				eq(walletMessages.method, sql.placeholder('method')),
				eq(walletMessages.trxId, sql.placeholder('trxId')),
				isNull(walletMessages.claimId)
			)
		)
		.orderBy(asc(walletMessages.id))
		.prepare()
);

const linkMessage = preparedFor((db) =>
	db
		.update(walletMessages)
		.set({ claimId: sql`${sql.placeholder('claimId')}`, note: sql`${sql.placeholder('note')}` })
		.where(eq(walletMessages.id, sql.placeholder('id')))
		.prepare()
);

/** Why a received amount does not approve the claim, or undefined when it is at least the price. */
function amountProblem(amount: number | null): string | undefined {
	const price = course().manualPayments.bdtPrice;
	if (amount === null || price === undefined) return 'no amount';
	return amount < price ? `amount ${amount} is less than the price ${price}` : undefined;
}

/**
 * A parsed received-money message (SMS or statement row) against the claims: approves a pending claim of the
 * same method and TrxID when the amount is at least the price. Returns what it did, for the seller.
 */
export function matchPayment(
	messageId: number,
	method: string,
	trxId: string,
	amount: number | null,
	by: 'sms' | 'statement'
): { approved: boolean; note: string } {
	const outcome = writeTransaction(() => {
		const claim = claimOfTrx().get({ method, trxId });
		if (!claim) {
			linkMessage().run({ id: messageId, claimId: null, note: 'no claim with this TrxID yet' });
			return { approved: false, note: 'no claim with this TrxID yet' };
		}
		const problem = amountProblem(amount);
		if (problem || claim.status !== 'pending') {
			const note = problem ?? `the claim is already ${claim.status}`;
			linkMessage().run({ id: messageId, claimId: problem ? null : claim.id, note });
			return { approved: false, note };
		}
		approveInTransaction(claim.id, by, Date.now());
		linkMessage().run({ id: messageId, claimId: claim.id, note: 'approved the claim' });
		return { approved: true, note: 'approved the claim' };
	});
	if (outcome.approved) wakeSender();
	return outcome;
}

/** A new claim whose SMS came first: approved now when a stored message of its method and TrxID pays the price. */
export function approveFromStoredMessage(claimId: number): boolean {
	const claim = claimRow().get({ id: claimId });
	if (!claim || claim.status !== 'pending') return false;
	for (const message of unusedMessageOf().all({ method: claim.method, trxId: claim.trxId }))
		if (!amountProblem(message.amount))
			return matchPayment(message.id, claim.method, claim.trxId, message.amount, 'sms').approved;
	return false;
}

export interface ClaimRow {
	id: number;
	method: string;
	trxId: string;
	amount: number;
	sender: string;
	email: string;
	name: string | null;
	reference: string;
	status: WalletClaimStatus;
	reason: string | null;
	decidedBy: string | null;
	decidedAt: number | null;
	createdAt: number;
}

const claimColumns = {
	id: walletClaims.id,
	method: walletClaims.method,
	trxId: walletClaims.trxId,
	amount: walletClaims.amount,
	sender: walletClaims.sender,
	email: walletClaims.email,
	name: walletClaims.name,
	reference: walletClaims.reference,
	status: walletClaims.status,
	reason: walletClaims.reason,
	decidedBy: walletClaims.decidedBy,
	decidedAt: walletClaims.decidedAt,
	createdAt: walletClaims.createdAt
};

const pendingClaims = preparedFor((db) =>
	db
		.select(claimColumns)
		.from(walletClaims)
		.where(eq(walletClaims.status, 'pending'))
		.orderBy(asc(walletClaims.createdAt), asc(walletClaims.id))
		.prepare()
);

const decidedClaims = preparedFor((db) =>
	db
		.select(claimColumns)
		.from(walletClaims)
		.where(sql`${walletClaims.status} <> 'pending'`)
		.orderBy(desc(walletClaims.decidedAt), desc(walletClaims.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

/** Waiting claims, oldest first: what the seller checks. */
export function listPendingClaims(): ClaimRow[] {
	return pendingClaims().all();
}

/** The latest decisions, newest first: where an approval is revoked. */
export function listDecidedClaims(limit = 50): ClaimRow[] {
	return decidedClaims().all({ limit });
}
