/**
 * The outbox's batches: due rows composed at send time and frozen, with their payload, into leased batches of up
 * to 100; a batch is always sent again as it was frozen, under the same idempotency key. The loop that sends them
 * is in sender.ts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, lt, lte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { BATCHED_PENDING, outbox, UNBATCHED_DUE } from '../db/schema';
import { broadcastTemplate } from '../broadcasts/mail';
import { config } from '../env';
import { freeze, thaw } from './frozen';
import { sequenceTemplate } from './sequence-mail';
import { blockedReason } from './suppressions';
import type { TemplateResult } from './templates';
import { transactionalTemplate } from './transactional';
import type { MailResult, OutgoingMail } from './transport';

/** How long a claimed batch belongs to one scheduler; after that another may claim it again. */
export const LEASE_MS = 2 * 60 * 1000;
export const BATCH_SIZE = 100;
/** Passes that may fail with 5xx or no answer before a batch is marked failed (kept for the seller, not dropped). */
export const MAX_ATTEMPTS = 8;

export interface PassReport {
	sent: number;
	skipped: number;
	deferred: number;
	retried: number;
	failed: number;
}

export interface ClaimedBatch {
	batchId: string;
	owner: string;
	leaseUntil: number;
	ids: number[];
	attempts: number;
	mails: OutgoingMail[];
}

const p = sql.placeholder;
// Drizzle has no INDEXED BY: the planner is told which partial index walks only the rows a claim wants.
const batchedByLease = sql`${outbox} indexed by outbox_batch_lease`;
const unbatchedByDue = sql`${outbox} indexed by outbox_unbatched_due`;
/** A column selected from one of those, typed and decoded as the column itself. */
const read = <T extends SQLiteColumn>(column: T) => sql`${column}`.mapWith(column);

/** A batch whose lease ran out (its scheduler died) or that waits for a retry, now due. */
const leaseRanOut = preparedFor((db) =>
	db
		.select({ batchId: read(outbox.batchId) })
		.from(batchedByLease)
		.where(and(BATCHED_PENDING, lt(outbox.leaseUntil, p('now')), lte(outbox.dueAt, p('now'))))
		.limit(1)
		.prepare()
);

const leaseBatch = preparedFor((db) =>
	db
		.update(outbox)
		.set({ leaseUntil: sql`${p('leaseUntil')}`, leaseOwner: sql`${p('owner')}` })
		.where(and(eq(outbox.batchId, p('batchId')), eq(outbox.status, 'pending')))
		.returning({ id: outbox.id, attempts: outbox.attempts, payload: outbox.payload })
		.prepare()
);

const dueRows = preparedFor((db) =>
	db
		.select({
			id: read(outbox.id),
			key: read(outbox.idempotencyKey),
			template: read(outbox.template),
			to: read(outbox.toEmail),
			params: read(outbox.params),
			marketing: read(outbox.marketing)
		})
		.from(unbatchedByDue)
		.where(and(UNBATCHED_DUE, lte(outbox.dueAt, p('now'))))
		.orderBy(outbox.dueAt)
		.limit(p('limit'))
		.prepare()
);

type DueRow = ReturnType<ReturnType<typeof dueRows>['all']>[number];

const joinBatch = preparedFor((db) =>
	db
		.update(outbox)
		.set({
			status: 'pending',
			batchId: sql`${p('batchId')}`,
			payload: sql`${p('payload')}`,
			leaseUntil: sql`${p('leaseUntil')}`,
			leaseOwner: sql`${p('owner')}`,
			lastError: null
		})
		.where(eq(outbox.id, p('id')))
		.prepare()
);

/** A row composed now that will not be sent now: skipped, stopped, waiting (with its new due time) or failed. */
const setAside = preparedFor((db) =>
	db
		.update(outbox)
		.set({
			status: sql`${p('status')}`,
			dueAt: sql`coalesce(${p('dueAt')}, ${outbox.dueAt})`,
			lastError: sql`${p('reason')}`
		})
		.where(eq(outbox.id, p('id')))
		.prepare()
);

/** Composes one due row at send time: suppressed, no longer wanted, waiting, or a mail. */
function compose(row: DueRow, now: number): TemplateResult | { fail: string } {
	const blocked = blockedReason(row.to, row.marketing);
	if (blocked === 'unsubscribed') return { stop: 'suppressed: unsubscribed' };
	if (blocked) return { skip: `suppressed: ${blocked}` };
	const template =
		transactionalTemplate(row.template) ?? sequenceTemplate(row.template) ?? broadcastTemplate(row.template);
	if (!template) return { skip: `unknown template ${row.template}` };
	try {
		const result = template({
			to: row.to,
			params: JSON.parse(row.params) as Record<string, unknown>,
			key: row.key,
			now
		});
		if (result && 'subject' in result && row.marketing && !result.headers['List-Unsubscribe']) {
			return { fail: 'a marketing mail without List-Unsubscribe was not sent' };
		}
		return result;
	} catch (e) {
		console.error(`mail ${row.key}: could not compose:`, e);
		return { fail: `could not compose: ${e instanceof Error ? e.message : String(e)}` };
	}
}

/**
 * Claims the next batch inside one BEGIN IMMEDIATE transaction, with a lease. A batch whose lease ran out (its
 * scheduler died) or that waits for a retry comes first, with its frozen rows and payload, so that it is sent
 * again exactly as before. Otherwise due rows are composed now and frozen into a new batch.
 * `touched` counts the rows handled, so a pass knows when nothing is left.
 */
export function claimBatch(
	now: number,
	limit = BATCH_SIZE
): { batch: ClaimedBatch | undefined; touched: number; report: Partial<PassReport> } {
	const owner = randomUUID();
	const leaseUntil = now + LEASE_MS;
	return writeTransaction(() => {
		const waiting = leaseRanOut().get({ now });
		if (waiting) {
			const rows = leaseBatch().all({ leaseUntil, owner, batchId: waiting.batchId });
			rows.sort((a, b) => a.id - b.id);
			const batch: ClaimedBatch = {
				batchId: waiting.batchId,
				owner,
				leaseUntil,
				ids: rows.map((r) => r.id),
				attempts: Math.max(0, ...rows.map((r) => r.attempts)),
				mails: rows.map((r) => thaw(r.payload))
			};
			return { batch, touched: rows.length, report: {} };
		}

		const due = dueRows().all({ now, limit });
		const { mailFrom } = config();
		const batchId = randomUUID();
		const report = { skipped: 0, deferred: 0, failed: 0 };
		const batch: ClaimedBatch = { batchId, owner, leaseUntil, ids: [], attempts: 0, mails: [] };
		for (const row of due) {
			const result = compose(row, now);
			const aside = (
				status: 'skipped' | 'stopped' | 'waiting' | 'failed',
				reason: string,
				dueAt: number | null = null
			) => setAside().run({ id: row.id, status, reason, dueAt });
			if (result === null) {
				aside('skipped', 'no longer wanted');
				report.skipped++;
			} else if ('skip' in result) {
				aside('skipped', result.skip);
				report.skipped++;
			} else if ('stop' in result) {
				aside('stopped', result.stop);
				report.skipped++;
			} else if ('deferUntil' in result) {
				aside('waiting', result.reason, Math.max(result.deferUntil, now + 1000));
				report.deferred++;
			} else if ('fail' in result) {
				aside('failed', result.fail);
				report.failed++;
			} else {
				const mail: OutgoingMail = {
					key: row.key,
					from: mailFrom,
					to: row.to,
					subject: result.subject,
					html: result.html,
					text: result.text,
					// Names the mail for the recipient's client (no threading of distinct mails) and for tracing.
					headers: { ...result.headers, 'X-Entity-Ref-ID': row.key }
				};
				joinBatch().run({ batchId, payload: freeze(mail, result.shared), leaseUntil, owner, id: row.id });
				batch.ids.push(row.id);
				batch.mails.push(mail);
			}
		}
		return { batch: batch.ids.length ? batch : undefined, touched: due.length, report };
	});
}

/** Backoff for the nth failed pass: 30 s, 1 min, 2 min … capped at an hour, or what the provider asked for. */
export function retryDelay(attempt: number, retryAfterMs?: number): number {
	const backoff = Math.min(60 * 60 * 1000, 30_000 * 2 ** Math.max(0, attempt - 1));
	return Math.max(backoff, retryAfterMs ?? 0);
}

const extendLease = preparedFor((db) =>
	db
		.update(outbox)
		.set({ leaseUntil: sql`${p('leaseUntil')}` })
		.where(heldBy())
		.prepare()
);

/** The rows of the batch that this scheduler still holds. */
function heldBy() {
	return and(eq(outbox.batchId, p('batchId')), eq(outbox.leaseOwner, p('owner')), eq(outbox.status, 'pending'));
}

/**
 * Extends the lease when less than half of it is left (before a call or after a wait); false when another
 * scheduler has taken the batch meanwhile. Right after the claim there is nothing to do.
 */
export function keepLease(batch: ClaimedBatch): boolean {
	const now = Date.now();
	if (batch.leaseUntil - now > LEASE_MS / 2) return true;
	const changed = extendLease().run({ leaseUntil: now + LEASE_MS, batchId: batch.batchId, owner: batch.owner }).changes;
	batch.leaseUntil = now + LEASE_MS;
	return changed > 0;
}

/** A row of a batch this scheduler still holds. */
const heldRow = () => and(eq(outbox.id, p('id')), eq(outbox.leaseOwner, p('owner')), eq(outbox.status, 'pending'));

const markSent = preparedFor((db) =>
	db
		.update(outbox)
		.set({
			status: 'sent',
			providerId: sql`${p('providerId')}`,
			sentAt: sql`${p('now')}`,
			payload: null,
			leaseUntil: null,
			lastError: null
		})
		.where(heldRow())
		.prepare()
);

// A refused mail was certainly not accepted: it leaves its batch, so a later retry composes it afresh.
const markRefused = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: 'failed', batchId: null, payload: null, leaseUntil: null, lastError: sql`${p('error')}` })
		.where(heldRow())
		.prepare()
);

/** Records the provider's answer for a batch this scheduler still holds (exported for the benchmark). */
export function recordResults(batch: ClaimedBatch, results: MailResult[], report: PassReport): void {
	const now = Date.now();
	const owner = batch.owner;
	let refused = 0;
	writeTransaction(() => {
		batch.ids.forEach((id, i) => {
			const result = results[i];
			if (result.ok) report.sent += markSent().run({ providerId: result.providerId, now, id, owner }).changes;
			else refused += markRefused().run({ error: result.error, id, owner }).changes;
		});
	});
	report.failed += refused;
	const first = results.find((r) => !r.ok);
	if (refused && first) console.error(`mail batch ${batch.batchId}: ${refused} refused for good, e.g. ${first.error}`);
}

const failBatch = preparedFor((db) =>
	db
		.update(outbox)
		.set({ status: 'failed', attempts: sql`${p('attempts')}`, leaseUntil: null, lastError: sql`${p('error')}` })
		.where(heldBy())
		.prepare()
);

const retryBatchLater = preparedFor((db) =>
	db
		.update(outbox)
		.set({ dueAt: sql`${p('dueAt')}`, attempts: sql`${p('attempts')}`, leaseUntil: 0, lastError: sql`${p('error')}` })
		.where(heldBy())
		.prepare()
);

/**
 * The batch waits for a later pass, with the same rows, payload and key; or, after MAX_ATTEMPTS (or at once when
 * `giveUp`), fails for good but keeps its batch and key, since the provider may have accepted it.
 */
export function postpone(
	batch: ClaimedBatch,
	error: string,
	delayMs: number,
	counts: boolean,
	report: PassReport,
	giveUp = false
): void {
	const attempts = batch.attempts + (counts ? 1 : 0);
	const n = batch.ids.length;
	const held = { batchId: batch.batchId, owner: batch.owner, attempts };
	if (giveUp || attempts >= MAX_ATTEMPTS) {
		failBatch().run({ ...held, error: giveUp ? error : `gave up after ${attempts} attempts: ${error}` });
		console.error(`mail batch ${batch.batchId}: ${n} mails failed after ${attempts} attempts: ${error}`);
		report.failed += n;
		return;
	}
	retryBatchLater().run({ ...held, dueAt: Date.now() + delayMs, error });
	report.retried += n;
}
