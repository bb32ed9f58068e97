/**
 * A merchant or bank statement (CSV) matched against the claims the same way as an SMS: same TrxID, the method
 * when the statement names one, and at least the price. Previewed first; applied only on the seller's second tap.
 */
import { eq, sql } from 'drizzle-orm';
import { course } from '../../course';
import { preparedFor } from '../../db/prepared';
import { walletClaims } from '../../db/schema';
import { approveClaim } from './review';
import { parseStatementCsv, type StatementRow } from './sms';

export type StatementVerdict = 'approve' | 'no-claim' | 'short' | 'decided';

export interface StatementMatch {
	row: StatementRow;
	claimId: number | null;
	email: string | null;
	verdict: StatementVerdict;
}

/** A statement is a few thousand rows at most; past this it is not one. */
export const STATEMENT_LIMIT = 512 * 1024;

const claimsOfTrx = preparedFor((db) =>
	db
		.select({
			id: walletClaims.id,
			method: walletClaims.method,
			status: walletClaims.status,
			email: walletClaims.email
		})
		.from(walletClaims)
		.where(eq(walletClaims.trxId, sql.placeholder('trxId')))
		.prepare()
);

function matchRow(row: StatementRow, price: number): StatementMatch {
	const claims = claimsOfTrx()
		.all({ trxId: row.trxId })
		.filter((c) => row.method === null || c.method === row.method);
	// Without a method a TrxID could be two wallets' claims: only an unambiguous one is matched.
	if (claims.length !== 1) return { row, claimId: null, email: null, verdict: 'no-claim' };
	const [claim] = claims;
	const verdict = claim.status !== 'pending' ? 'decided' : row.amount < price ? 'short' : 'approve';
	return { row, claimId: claim.id, email: claim.email, verdict };
}

/** What the statement would do, changing nothing. */
export function previewStatement(csv: string): {
	matches: StatementMatch[];
	errors: { line: number; problem: string }[];
} {
	const { rows, errors } = parseStatementCsv(csv);
	const price = course().manualPayments.bdtPrice ?? Number.POSITIVE_INFINITY;
	return { matches: rows.map((row) => matchRow(row, price)), errors };
}

/** Approves what the preview said it would (matched again now: a claim decided meanwhile is left alone). */
export function applyStatement(csv: string, by: string): number {
	let approved = 0;
	for (const m of previewStatement(csv).matches)
		if (m.verdict === 'approve' && m.claimId !== null && approveClaim(m.claimId, by).status === 'done') approved++;
	return approved;
}
