/** The scheduler: claims batches (batches.ts) and sends them, retrying in place what may be retried. */
import {
	claimBatch,
	keepLease,
	postpone,
	recordResults,
	retryDelay,
	type ClaimedBatch,
	type PassReport
} from './batches';
import { queueDueBroadcasts } from '../broadcasts/store';
import { course } from '../course';
import { groupWrite } from '../db/group-write';
import { queueWaitingDigest } from '../payments/wallet/digest';
import { transport, type BatchAnswer } from './transport';

export { BATCH_SIZE, LEASE_MS, MAX_ATTEMPTS, claimBatch, type PassReport } from './batches';

/** Within one pass: quick retries after a 5xx, and the longest wait for a retry-after before leaving it to a later pass. */
const QUICK_RETRIES = 3;
const MAX_WAIT_MS = 60_000;
/** Shorter than the lease, so a hung call is given up before another scheduler may take the batch. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface SenderOptions {
	/** Called after each batch with the pass's counts so far (`npm run drip` prints them). */
	onProgress?: (report: PassReport) => void;
	/** Batches composed and sent side by side; the transport still makes one call at a time. */
	workers?: number;
	/** How long a provider call may go unanswered before it is given up and its batch sent again. */
	requestTimeoutMs?: number;
	/**
	 * Also does the timed work (the wallet digest, the broadcasts whose time has come): true for the scheduler's
	 * ticks and `npm run drip`; false for a pass woken because a mail was queued, which only sends.
	 */
	schedule?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends one claimed batch, retrying 429s and 5xx in place (the transport honours retry-after and ratelimit-*). */
export async function deliverBatch(
	batch: ClaimedBatch,
	report: PassReport,
	timeoutMs = REQUEST_TIMEOUT_MS
): Promise<void> {
	let quick = 0;
	let limited = 0;
	for (;;) {
		const wait = transport().readyIn();
		if (wait > MAX_WAIT_MS) return postpone(batch, 'rate limited', wait, false, report);
		let answer: BatchAnswer;
		try {
			// The lease is checked right before the call: if another scheduler took the batch, it sends it.
			answer = await transport().send(batch.mails, `batch/${batch.batchId}`, {
				beforeCall: () => keepLease(batch),
				timeoutMs
			});
		} catch (e) {
			answer = { kind: 'retry', error: e instanceof Error ? e.message : String(e), rateLimited: false };
		}
		if (answer.kind === 'abandoned') return;
		if (answer.kind === 'done') return groupWrite(() => recordResults(batch, answer.results, report));
		if (answer.kind === 'refused' && answer.maybeSent) return postpone(batch, answer.error, 0, true, report, true);
		if (answer.kind === 'refused') {
			const error = answer.error;
			const refusals = batch.mails.map(() => ({ ok: false as const, error }));
			return groupWrite(() => recordResults(batch, refusals, report));
		}
		// The transport waits for retry-after before the next call; a storm that does not end is left to a later pass.
		if (answer.rateLimited && ++limited <= 30) continue;
		if (answer.rateLimited)
			return postpone(batch, answer.error, Math.max(transport().readyIn(), 60_000), false, report);
		if (quick >= QUICK_RETRIES)
			return postpone(batch, answer.error, retryDelay(batch.attempts + 1, answer.retryAfterMs), true, report);
		const backoff = Math.max(answer.retryAfterMs ?? 0, 250 * 2 ** quick++ * (1 + Math.random() / 2));
		if (backoff > MAX_WAIT_MS) return postpone(batch, answer.error, backoff, true, report);
		await sleep(backoff);
	}
}

/**
 * One pass of the scheduler: sends everything due now. Two workers share the pass, so that composing and
 * recording one batch overlaps the provider call of another; the transport still makes one call at a time.
 */
export async function runSenderPass({
	onProgress,
	workers = 2,
	requestTimeoutMs = REQUEST_TIMEOUT_MS,
	schedule = true
}: SenderOptions = {}): Promise<PassReport> {
	const report: PassReport = { sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0 };
	if (schedule) {
		// A timed pass (the scheduler's, `npm run drip`) may add the seller's daily digest of waiting wallet claims…
		queueWaitingDigest();
		// …and the broadcasts whose send_at has come (queued in chunks, yielding to readers between them).
		await queueDueBroadcasts(course().broadcasts);
	}
	const work = async (): Promise<void> => {
		for (;;) {
			if (transport().readyIn() > MAX_WAIT_MS) return; // rate limited for long: the next pass goes on
			// The claim, like the results, is one savepoint in the sales' group commit (db/group-write.ts): on a launch
			// day it shares their fsync instead of adding its own, and it is on disk before its batch is sent.
			const { batch, touched, report: composed } = await groupWrite(() => claimBatch(Date.now()));
			report.skipped += composed.skipped ?? 0;
			report.deferred += composed.deferred ?? 0;
			report.failed += composed.failed ?? 0;
			if (!touched) return;
			if (batch) await deliverBatch(batch, report, requestTimeoutMs);
			onProgress?.(report);
		}
	};
	await Promise.all(Array.from({ length: workers }, work));
	return report;
}

let running: Promise<void> | undefined;
let again = false;
let scheduleAgain = false;

/**
 * Runs a pass soon (e.g. right after a sign-in link is queued); passes never overlap within this process. A wake
 * for a queued mail only sends: on a launch day every sale wakes the sender, and looking for due broadcasts and the
 * digest each time cost a few milliseconds of the event loop per sale. `schedule` asks for the timed work too.
 */
export function wakeSender({ schedule = false }: { schedule?: boolean } = {}): void {
	scheduleAgain ||= schedule;
	if (running) {
		again = true;
		return;
	}
	running = (async () => {
		do {
			again = false;
			const timed = scheduleAgain;
			scheduleAgain = false;
			try {
				await runSenderPass({ schedule: timed });
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
	const tick = () => wakeSender({ schedule: true });
	setInterval(tick, intervalSeconds * 1000).unref();
	tick();
}
