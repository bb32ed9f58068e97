import { stmt } from '../db/statements';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

/**
 * Why mail to this address must not go out, or undefined. An unsubscribe stops marketing only; a bounce or a
 * complaint stops every mail, transactional ones (sign-in links, receipts) included.
 */
export function blockedReason(email: string, marketing: boolean): SuppressionReason | undefined {
	const rows = stmt('select reason from suppressions where email = ?').all(email) as { reason: SuppressionReason }[];
	return rows.find((r) => marketing || r.reason !== 'unsubscribed')?.reason;
}

/**
 * Suppresses an address for a reason, stops its sequences and skips what is queued for it and not yet in a batch.
 * Returns false when it was already suppressed for that reason: a repeated event changes nothing.
 * Call it inside the transaction of the event (a webhook, an unsubscribe).
 */
export function suppress(email: string, reason: SuppressionReason, detail: string): boolean {
	const now = Date.now();
	const added = stmt(
		'insert into suppressions (email, reason, detail, created_at) values (?, ?, ?, ?) on conflict do nothing'
	).run(email, reason, detail, now).changes;
	if (!added) return false;
	stmt(
		"update sequence_runs set status = 'stopped', stopped_reason = ?, stopped_at = ? where email = ? and status = 'active'"
	).run(reason, now, email);
	// A mail already frozen in a batch goes out as it is: it may be a retry of one the provider has accepted.
	const scope = reason === 'unsubscribed' ? 'and marketing = 1' : '';
	stmt(
		`update outbox set status = 'skipped', last_error = ? where to_email = ? and status = 'pending' and batch_id is null ${scope}`
	).run(`suppressed: ${reason}`, email);
	return true;
}

/** Lifts an unsubscribe (the address confirmed the list again); bounces and complaints stay. */
export function liftUnsubscribe(email: string): void {
	stmt("delete from suppressions where email = ? and reason = 'unsubscribed'").run(email);
}
