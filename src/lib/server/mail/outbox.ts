import { desc, eq, sql } from 'drizzle-orm';
import { db } from '../db';
import { outbox } from '../db/schema';
import { stmt } from '../db/statements';

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
	/** The sequence run the mail belongs to (see mail/sequences.ts). */
	runId?: number;
}

/**
 * Queues a mail in the outbox. Call it inside the transaction of the event that causes the mail,
 * so that the event and its mail are written together or not at all. Returns false when the key was already queued.
 */
export function queueMail(mail: QueuedMail): boolean {
	// A prepared statement: a sequence start queues a dozen mails, and the query builder costs ~0.3 ms a row here.
	const result = stmt(
		`insert into outbox (idempotency_key, template, to_email, params, marketing, due_at, run_id)
		 values (?, ?, ?, ?, ?, ?, ?) on conflict (idempotency_key) do nothing`
	).run(
		mail.key,
		mail.template,
		mail.to,
		JSON.stringify(mail.params ?? {}),
		mail.marketing ? 1 : 0,
		mail.dueAt ?? Date.now(),
		mail.runId ?? null
	);
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

export interface FailedMail {
	id: number;
	key: string;
	to: string;
	template: string;
	attempts: number;
	error: string | null;
	createdAt: number;
}

/** Mails that could not be sent, newest first, with the reason: kept for the seller, never dropped. */
export function listFailedMails(limit = 100): FailedMail[] {
	return db()
		.select({
			id: outbox.id,
			key: outbox.idempotencyKey,
			to: outbox.toEmail,
			template: outbox.template,
			attempts: outbox.attempts,
			error: outbox.lastError,
			createdAt: outbox.createdAt
		})
		.from(outbox)
		.where(eq(outbox.status, 'failed'))
		.orderBy(desc(outbox.id))
		.limit(limit)
		.all();
}

/**
 * Puts failed mails back in the queue once the cause is fixed (e.g. the sending domain verified). A mail that was
 * in a batch keeps its batch, payload and key, so one the provider had in fact accepted is not delivered twice.
 */
export function retryFailedMails(): number {
	return db()
		.update(outbox)
		.set({ status: 'pending', attempts: 0, dueAt: Date.now(), leaseUntil: 0, leaseOwner: null })
		.where(eq(outbox.status, 'failed'))
		.run().changes;
}
