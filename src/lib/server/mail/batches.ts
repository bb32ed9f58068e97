/**
 * The outbox's batches: due rows composed at send time and frozen, with their payload, into leased batches of up
 * to 100; a batch is always sent again as it was frozen, under the same idempotency key. The loop that sends them
 * is in sender.ts.
 */
import { randomUUID } from 'node:crypto';
import { writeTransaction } from '../db';
import { stmt } from '../db/statements';
import { config } from '../env';
import { freeze, thaw } from './frozen';
import { sequenceTemplate } from './sequence-mail';
import { blockedReason } from './suppressions';
import { templateFor, type TemplateResult } from './templates';
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

interface DueRow {
	id: number;
	idempotency_key: string;
	template: string;
	to_email: string;
	params: string;
	marketing: number;
}

export interface ClaimedBatch {
	batchId: string;
	owner: string;
	leaseUntil: number;
	ids: number[];
	attempts: number;
	mails: OutgoingMail[];
}

/** Composes one due row at send time: suppressed, no longer wanted, waiting, or a mail. */
function compose(row: DueRow, now: number): TemplateResult | { fail: string } {
	const blocked = blockedReason(row.to_email, row.marketing === 1);
	if (blocked) return { skip: `suppressed: ${blocked}` };
	const template = templateFor(row.template) ?? sequenceTemplate(row.template);
	if (!template) return { skip: `unknown template ${row.template}` };
	try {
		const result = template({
			to: row.to_email,
			params: JSON.parse(row.params) as Record<string, unknown>,
			key: row.idempotency_key,
			now
		});
		if (result && 'subject' in result && row.marketing === 1 && !result.headers['List-Unsubscribe']) {
			return { fail: 'a marketing mail without List-Unsubscribe was not sent' };
		}
		return result;
	} catch (e) {
		console.error(`mail ${row.idempotency_key}: could not compose:`, e);
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
	return writeTransaction(() => {
		// Batched rows always hold a lease time (0 once released), so this walks only batches whose lease ran out.
		const waiting = stmt(
			`select batch_id from outbox indexed by outbox_batch_lease
			 where batch_id is not null and status = 'pending' and lease_until < ? and due_at <= ? limit 1`
		).get(now, now) as { batch_id: string } | undefined;
		if (waiting) {
			const rows = stmt(
				`update outbox set lease_until = ?, lease_owner = ? where batch_id = ? and status = 'pending'
				 returning id, attempts, payload`
			).all(now + LEASE_MS, owner, waiting.batch_id) as { id: number; attempts: number; payload: string }[];
			rows.sort((a, b) => a.id - b.id);
			const batch: ClaimedBatch = {
				batchId: waiting.batch_id,
				owner,
				leaseUntil: now + LEASE_MS,
				ids: rows.map((r) => r.id),
				attempts: Math.max(0, ...rows.map((r) => r.attempts)),
				mails: rows.map((r) => thaw(r.payload))
			};
			return { batch, touched: rows.length, report: {} };
		}

		const due = stmt(
			`select id, idempotency_key, template, to_email, params, marketing from outbox indexed by outbox_unbatched_due
			 where batch_id is null and status = 'pending' and due_at <= ? order by due_at limit ?`
		).all(now, limit) as DueRow[];
		const { mailFrom } = config();
		const batchId = randomUUID();
		const join = stmt(
			'update outbox set batch_id = ?, payload = ?, lease_until = ?, lease_owner = ?, last_error = null where id = ?'
		);
		const skip = stmt("update outbox set status = 'skipped', last_error = ? where id = ?");
		const defer = stmt('update outbox set due_at = ?, last_error = ? where id = ?');
		const fail = stmt("update outbox set status = 'failed', last_error = ? where id = ?");
		const report = { skipped: 0, deferred: 0, failed: 0 };
		const batch: ClaimedBatch = { batchId, owner, leaseUntil: now + LEASE_MS, ids: [], attempts: 0, mails: [] };
		for (const row of due) {
			const result = compose(row, now);
			if (result === null) {
				skip.run('no longer wanted', row.id);
				report.skipped++;
			} else if ('skip' in result) {
				skip.run(result.skip, row.id);
				report.skipped++;
			} else if ('deferUntil' in result) {
				defer.run(Math.max(result.deferUntil, now + 1000), result.reason, row.id);
				report.deferred++;
			} else if ('fail' in result) {
				fail.run(result.fail, row.id);
				report.failed++;
			} else {
				const mail: OutgoingMail = {
					key: row.idempotency_key,
					from: mailFrom,
					to: row.to_email,
					subject: result.subject,
					html: result.html,
					text: result.text,
					// Names the mail for the recipient's client (no threading of distinct mails) and for tracing.
					headers: { ...result.headers, 'X-Entity-Ref-ID': row.idempotency_key }
				};
				join.run(batchId, freeze(mail, result.shared), now + LEASE_MS, owner, row.id);
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

/**
 * Extends the lease when less than half of it is left (before a call or after a wait); false when another
 * scheduler has taken the batch meanwhile. Right after the claim there is nothing to do.
 */
export function keepLease(batch: ClaimedBatch): boolean {
	const now = Date.now();
	if (batch.leaseUntil - now > LEASE_MS / 2) return true;
	const changed = stmt(
		"update outbox set lease_until = ? where batch_id = ? and lease_owner = ? and status = 'pending'"
	).run(now + LEASE_MS, batch.batchId, batch.owner).changes;
	batch.leaseUntil = now + LEASE_MS;
	return changed > 0;
}

/** Records the provider's answer for a batch this scheduler still holds (exported for the benchmark). */
export function recordResults(batch: ClaimedBatch, results: MailResult[], report: PassReport): void {
	const now = Date.now();
	const sent = stmt(
		`update outbox set status = 'sent', provider_id = ?, sent_at = ?, payload = null, lease_until = null, last_error = null
		 where id = ? and lease_owner = ? and status = 'pending'`
	);
	// A refused mail was certainly not accepted: it leaves its batch, so a later retry composes it afresh.
	const failed = stmt(
		`update outbox set status = 'failed', batch_id = null, payload = null, lease_until = null, last_error = ?
		 where id = ? and lease_owner = ? and status = 'pending'`
	);
	let refused = 0;
	writeTransaction(() => {
		batch.ids.forEach((id, i) => {
			const result = results[i];
			if (result.ok) report.sent += sent.run(result.providerId, now, id, batch.owner).changes;
			else refused += failed.run(result.error, id, batch.owner).changes;
		});
	});
	report.failed += refused;
	const first = results.find((r) => !r.ok);
	if (refused && first) console.error(`mail batch ${batch.batchId}: ${refused} refused for good, e.g. ${first.error}`);
}

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
	if (giveUp || attempts >= MAX_ATTEMPTS) {
		stmt(
			"update outbox set status = 'failed', attempts = ?, lease_until = null, last_error = ? where batch_id = ? and lease_owner = ? and status = 'pending'"
		).run(attempts, giveUp ? error : `gave up after ${attempts} attempts: ${error}`, batch.batchId, batch.owner);
		console.error(`mail batch ${batch.batchId}: ${n} mails failed after ${attempts} attempts: ${error}`);
		report.failed += n;
		return;
	}
	stmt(
		"update outbox set due_at = ?, attempts = ?, lease_until = 0, last_error = ? where batch_id = ? and lease_owner = ? and status = 'pending'"
	).run(Date.now() + delayMs, attempts, error, batch.batchId, batch.owner);
	report.retried += n;
}
