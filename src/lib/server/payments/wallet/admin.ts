/** /admin/payments as the seller reads it: claims with their age, and the SMS that matched nothing. */
import { desc, isNull, sql } from 'drizzle-orm';
import { preparedFor } from '../../db/prepared';
import { walletMessages } from '../../db/schema';
import { listDecidedClaims, listPendingClaims, STALE_CLAIM_MS, type ClaimRow } from './review';

export interface PendingClaim extends ClaimRow {
	/** Waiting longer than two days: flagged for the seller. */
	stale: boolean;
}

export interface UnmatchedMessage {
	id: number;
	sender: string;
	text: string;
	receivedAt: string;
	method: string | null;
	trxId: string | null;
	amount: number | null;
	note: string | null;
}

const unmatched = preparedFor((db) =>
	db
		.select({
			id: walletMessages.id,
			sender: walletMessages.sender,
			text: walletMessages.text,
			receivedAt: walletMessages.receivedAt,
			method: walletMessages.method,
			trxId: walletMessages.trxId,
			amount: walletMessages.amount,
			note: walletMessages.note
		})
		.from(walletMessages)
		.where(isNull(walletMessages.claimId))
		.orderBy(desc(walletMessages.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

export function paymentsDesk(now = Date.now()): {
	pending: PendingClaim[];
	decided: ClaimRow[];
	unmatched: UnmatchedMessage[];
} {
	return {
		pending: listPendingClaims().map((c) => ({ ...c, stale: now - c.createdAt > STALE_CLAIM_MS })),
		decided: listDecidedClaims(),
		unmatched: unmatched().all({ limit: 100 })
	};
}
