import { sql } from 'drizzle-orm';
import { db } from '../db';
import { outbox } from '../db/schema';

export interface QueuedMail {
	/** Unique per mail (e.g. "welcome:cs_123" or "lead:03:ana@example.com"): the same key is never sent twice. */
	key: string;
	/** A template name from mail/templates.ts; the mail is composed from it at send time. */
	template: string;
	to: string;
	params?: Record<string, unknown>;
	/** Marketing mail needs consent and carries an unsubscribe link; transactional mail does not. */
	marketing?: boolean;
	/** When to send (ms since epoch); now by default. */
	dueAt?: number;
}

/**
 * Queues a mail in the outbox. Call it inside the transaction of the event that causes the mail,
 * so that the event and its mail are written together or not at all. Returns false when the key was already queued.
 */
export function queueMail(mail: QueuedMail): boolean {
	const result = db()
		.insert(outbox)
		.values({
			idempotencyKey: mail.key,
			template: mail.template,
			toEmail: mail.to,
			params: JSON.stringify(mail.params ?? {}),
			marketing: mail.marketing ?? false,
			dueAt: mail.dueAt ?? Date.now()
		})
		.onConflictDoNothing({ target: outbox.idempotencyKey })
		.run();
	return result.changes > 0;
}

/** Counts of outbox rows by status, for the seller and for `npm run drip`. */
export function outboxCounts(): Record<string, number> {
	const rows = db()
		.select({ status: outbox.status, n: sql<number>`count(*)` })
		.from(outbox)
		.groupBy(outbox.status)
		.all();
	return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
