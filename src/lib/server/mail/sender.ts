import { createHash } from 'node:crypto';
import { db, writeTransaction } from '../db';
import { config } from '../env';
import { templateFor } from './templates';
import { transport, type OutgoingMail, type SendResult } from './transport';

/** How long a claimed row belongs to one scheduler; after that another may claim it again. */
export const LEASE_MS = 2 * 60 * 1000;
export const BATCH_SIZE = 100;
export const MAX_ATTEMPTS = 8;

interface OutboxRow {
	id: number;
	idempotency_key: string;
	template: string;
	to_email: string;
	params: string;
	attempts: number;
}

export interface PassReport {
	sent: number;
	skipped: number;
	retried: number;
	failed: number;
}

/** Claims up to `limit` due rows for this pass: a lease, so a crash mid-batch loses nothing. */
export function claimDue(now: number, limit = BATCH_SIZE): OutboxRow[] {
	const claim = db().$client.prepare(
		`update outbox set lease_until = ?, attempts = attempts + 1
		 where id in (select id from outbox
		              where status = 'pending' and due_at <= ? and (lease_until is null or lease_until < ?)
		              order by due_at, id limit ?)
		 returning id, idempotency_key, template, to_email, params, attempts`
	);
	return writeTransaction(() => claim.all(now + LEASE_MS, now, now, limit) as OutboxRow[]);
}

/** Backoff for the nth failed attempt: 30 s, 1 min, 2 min … capped at an hour, or what the provider asked for. */
export function retryDelay(attempt: number, retryAfterMs?: number): number {
	const backoff = Math.min(60 * 60 * 1000, 30_000 * 2 ** Math.max(0, attempt - 1));
	return Math.max(backoff, retryAfterMs ?? 0);
}

function record(rows: OutboxRow[], results: SendResult[], now: number, report: PassReport): void {
	const client = db().$client;
	const sent = client.prepare(
		"update outbox set status = 'sent', provider_id = ?, sent_at = ?, lease_until = null, last_error = null where id = ?"
	);
	const retry = client.prepare('update outbox set due_at = ?, lease_until = null, last_error = ? where id = ?');
	const failed = client.prepare("update outbox set status = 'failed', lease_until = null, last_error = ? where id = ?");
	writeTransaction(() => {
		rows.forEach((row, i) => {
			const result = results[i];
			if (result.ok) {
				sent.run(result.providerId, now, row.id);
				report.sent++;
			} else if (result.retry && row.attempts < MAX_ATTEMPTS) {
				retry.run(now + retryDelay(row.attempts, result.retryAfterMs), result.error, row.id);
				report.retried++;
			} else {
				// Kept, with its reason, for the seller to see; never dropped silently.
				failed.run(result.error, row.id);
				report.failed++;
			}
		});
	});
}

/** Sends one claimed batch: composes each mail, sends them in one provider call and records the outcome. */
async function sendBatch(rows: OutboxRow[], report: PassReport): Promise<void> {
	const { mailFrom } = config();
	const skip = db().$client.prepare(
		"update outbox set status = 'skipped', lease_until = null, last_error = ? where id = ?"
	);
	const outgoing: OutgoingMail[] = [];
	const claimed: OutboxRow[] = [];
	for (const row of rows) {
		const template = templateFor(row.template);
		let mail = null;
		try {
			mail = template
				? template({
						to: row.to_email,
						params: JSON.parse(row.params) as Record<string, unknown>,
						key: row.idempotency_key
					})
				: null;
		} catch (e) {
			console.error(`mail ${row.idempotency_key}: could not compose:`, e);
		}
		if (!mail) {
			skip.run(template ? 'no longer wanted' : `unknown template ${row.template}`, row.id);
			report.skipped++;
			continue;
		}
		outgoing.push({ ...mail, key: row.idempotency_key, to: row.to_email, from: mailFrom });
		claimed.push(row);
	}
	if (!outgoing.length) return;
	// The same rows always make the same batch key, so a retried call is not delivered twice.
	const batchKey = createHash('sha256')
		.update(claimed.map((r) => r.idempotency_key).join('\n'))
		.digest('hex');
	let results: SendResult[];
	try {
		results = await transport().send(outgoing, batchKey);
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		results = claimed.map(() => ({ ok: false, retry: true, error }));
	}
	record(claimed, results, Date.now(), report);
}

/** One pass of the scheduler: sends everything due now, batch after batch. */
export async function runSenderPass(onProgress?: (report: PassReport) => void): Promise<PassReport> {
	const report: PassReport = { sent: 0, skipped: 0, retried: 0, failed: 0 };
	for (;;) {
		const rows = claimDue(Date.now());
		if (!rows.length) return report;
		await sendBatch(rows, report);
		onProgress?.(report);
	}
}

let running: Promise<void> | undefined;
let again = false;

/** Runs a pass soon (e.g. right after a sign-in link is queued); passes never overlap within this process. */
export function wakeSender(): void {
	if (running) {
		again = true;
		return;
	}
	running = (async () => {
		do {
			again = false;
			try {
				await runSenderPass();
			} catch (e) {
				console.error('mail sender pass failed:', e);
			}
		} while (again);
		running = undefined;
	})();
}

/** Starts the in-process scheduler; 0 turns it off (then `npm run drip` runs from cron). */
export function startScheduler(intervalSeconds: number): void {
	if (intervalSeconds <= 0) return;
	setInterval(wakeSender, intervalSeconds * 1000).unref();
	wakeSender();
}
