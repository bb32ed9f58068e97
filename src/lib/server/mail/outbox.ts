import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { outbox, type OutboxStatus } from '../db/schema';

export interface QueuedMail {
	/** Unique per mail (e.g. "welcome:cs_123" or "lead:03:ana@example.com"): the same key is never sent twice. */
	key: string;
	/** A template name from mail/transactional.ts, or a sequence step; the mail is composed from it at send time. */
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

// Prepared: a sequence start queues a dozen mails, and the query builder costs ~0.3 ms a row here.
const insertMail = preparedFor((db) =>
	db
		.insert(outbox)
		.values({
			idempotencyKey: sql.placeholder('key'),
			template: sql.placeholder('template'),
			toEmail: sql.placeholder('to'),
			params: sql.placeholder('params'),
			marketing: sql.placeholder('marketing'),
			dueAt: sql.placeholder('dueAt'),
			runId: sql.placeholder('runId')
		})
		.onConflictDoNothing({ target: outbox.idempotencyKey })
		.prepare()
);

/**
 * Queues a mail in the outbox. Call it inside the transaction of the event that causes the mail,
 * so that the event and its mail are written together or not at all. Returns false when the key was already queued.
 */
export function queueMail(mail: QueuedMail): boolean {
	const result = insertMail().run({
		key: mail.key,
		template: mail.template,
		to: mail.to,
		params: JSON.stringify(mail.params ?? {}),
		marketing: mail.marketing ? 1 : 0,
		dueAt: mail.dueAt ?? Date.now(),
		runId: mail.runId ?? null
	});
	return result.changes > 0;
}

/** One prepared insert of n rows (placeholders key0, template0 …), built once per row count. */
const insertMailsOf = new Map<number, ReturnType<typeof buildInsertMails>>();

function buildInsertMails(n: number) {
	return preparedFor((db) =>
		db
			.insert(outbox)
			.values(
				Array.from({ length: n }, (_, i) => ({
					idempotencyKey: sql.placeholder(`key${i}`),
					template: sql.placeholder(`template${i}`),
					toEmail: sql.placeholder(`to${i}`),
					params: sql.placeholder(`params${i}`),
					marketing: sql.placeholder(`marketing${i}`),
					dueAt: sql.placeholder(`dueAt${i}`),
					runId: sql.placeholder(`runId${i}`)
				}))
			)
			.onConflictDoNothing({ target: outbox.idempotencyKey })
			.prepare()
	);
}

/**
 * Queues several mails in one statement (a sequence start queues a dozen), as queueMail does each: in the
 * caller's transaction, a key already queued left as it is. Returns how many were new.
 */
export function queueMails(mails: QueuedMail[]): number {
	if (mails.length === 0) return 0;
	let insert = insertMailsOf.get(mails.length);
	if (!insert) insertMailsOf.set(mails.length, (insert = buildInsertMails(mails.length)));
	const values: Record<string, string | number | null> = {};
	const now = Date.now();
	mails.forEach((mail, i) => {
		values[`key${i}`] = mail.key;
		values[`template${i}`] = mail.template;
		values[`to${i}`] = mail.to;
		values[`params${i}`] = JSON.stringify(mail.params ?? {});
		values[`marketing${i}`] = mail.marketing ? 1 : 0;
		values[`dueAt${i}`] = mail.dueAt ?? now;
		values[`runId${i}`] = mail.runId ?? null;
	});
	return insert().run(values).changes;
}

const countByStatus = preparedFor((db) =>
	db
		.select({ status: outbox.status, n: sql<number>`count(*)` })
		.from(outbox)
		.groupBy(outbox.status)
		.prepare()
);

/** Counts of outbox rows by status (every status, 0 when none), for the seller and for `npm run drip`. */
export function outboxCounts(): Record<OutboxStatus, number> {
	const counts: Record<OutboxStatus, number> = { pending: 0, waiting: 0, sent: 0, failed: 0, skipped: 0, stopped: 0 };
	for (const { status, n } of countByStatus().all()) counts[status] = n;
	return counts;
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

const failedMails = preparedFor((db) =>
	db
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
		.limit(sql.placeholder('limit'))
		.prepare()
);

/** Mails that could not be sent, newest first, with the reason: kept for the seller, never dropped. */
export function listFailedMails(limit = 100): FailedMail[] {
	return failedMails().all({ limit });
}

const requeueFailed = preparedFor((db) =>
	db
		.update(outbox)
		.set({
			status: 'pending',
			attempts: 0,
			dueAt: sql`${sql.placeholder('now')}`,
			leaseUntil: 0,
			leaseOwner: null
		})
		.where(eq(outbox.status, 'failed'))
		.prepare()
);

/**
 * Puts failed mails back in the queue once the cause is fixed (e.g. the sending domain verified). A mail that was
 * in a batch keeps its batch, payload and key, so one the provider had in fact accepted is not delivered twice.
 */
export function retryFailedMails(now = Date.now()): number {
	return requeueFailed().run({ now }).changes;
}

const p = sql.placeholder;
/** Rows that have not joined a batch: a mail frozen in a batch goes out as it is (it may be a retry of one sent). */
const notInBatch = () => and(inArray(outbox.status, ['pending', 'waiting']), isNull(outbox.batchId));

const stopOfRun = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: 'stopped', lastError: sql`${p('reason')}` })
		.where(and(eq(outbox.runId, p('runId')), notInBatch()))
		.prepare()
);

/** A sequence run stopped: what it has not sent is stopped with it, to resume if the run starts again. */
export function stopRunMails(runId: number, reason: string): void {
	stopOfRun().run({ runId, reason: `sequence stopped: ${reason}` });
}

const resumeOfRun = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: 'pending', lastError: null })
		.where(
			and(
				eq(outbox.runId, p('runId')),
				eq(outbox.status, 'stopped'),
				isNull(outbox.batchId),
				gt(outbox.dueAt, p('now'))
			)
		)
		.prepare()
);

/** A stopped run starts again: its stopped mails still ahead go out after all; past ones are not sent late. */
export function resumeRunMails(runId: number, now = Date.now()): void {
	resumeOfRun().run({ runId, now });
}

const asideTo = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: sql`${p('status')}`, lastError: sql`${p('reason')}` })
		.where(and(eq(outbox.toEmail, p('to')), notInBatch()))
		.prepare()
);

const asideMarketingTo = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: sql`${p('status')}`, lastError: sql`${p('reason')}` })
		.where(and(eq(outbox.toEmail, p('to')), eq(outbox.marketing, true), notInBatch()))
		.prepare()
);

/**
 * An address was suppressed: what is queued for it is set aside, marketing only after an unsubscribe. An unsubscribe
 * stops mails (a renewed subscription may resume them); a bounce or a complaint skips them for good.
 */
export function setAsideMailsTo(to: string, reason: 'unsubscribed' | 'bounced' | 'complained'): void {
	const aside = { to, reason: `suppressed: ${reason}` };
	if (reason === 'unsubscribed') asideMarketingTo().run({ ...aside, status: 'stopped' });
	else asideTo().run({ ...aside, status: 'skipped' });
}

const wakeOfRun = preparedFor((db) =>
	db
		.update(outbox)
		.set({ dueAt: sql`${p('now')}` })
		.where(
			and(
				eq(outbox.runId, p('runId')),
				eq(outbox.status, 'waiting'),
				isNull(outbox.batchId),
				gt(outbox.dueAt, p('now'))
			)
		)
		.prepare()
);

/** The run's mails waiting for a condition are composed again in the next pass. Returns how many. */
export function wakeWaitingMails(runId: number, now = Date.now()): number {
	return wakeOfRun().run({ runId, now }).changes;
}

const requeueOne = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: 'pending', attempts: 0, dueAt: sql`${p('now')}`, leaseUntil: 0, leaseOwner: null })
		.where(and(eq(outbox.id, p('id')), eq(outbox.status, 'failed')))
		.returning({ to: outbox.toEmail, template: outbox.template, error: outbox.lastError })
		.prepare()
);

/** Puts one failed mail back in the queue, as retryFailedMails does for all; undefined when it is not failed. */
export function retryFailedMail(
	id: number,
	now = Date.now()
): { to: string; template: string; error: string | null } | undefined {
	return requeueOne().get({ id, now });
}
