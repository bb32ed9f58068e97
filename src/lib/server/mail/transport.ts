import { groupWrite } from '../db/group-write';
import { config } from '../env';
import { deliverToMailbox } from './mailbox';
import { resend } from './resend';

/** A composed mail as it is handed to the provider; frozen in the outbox once it joins a batch. */
export interface OutgoingMail {
	key: string;
	from: string;
	to: string;
	subject: string;
	html: string;
	text: string;
	headers: Record<string, string>;
}

/** One mail as Resend's batch API takes it. */
export function toResendEmail(m: OutgoingMail): {
	from: string;
	to: string[];
	subject: string;
	html: string;
	text: string;
	headers: Record<string, string>;
} {
	return { from: m.from, to: [m.to], subject: m.subject, html: m.html, text: m.text, headers: m.headers };
}

export type MailResult = { ok: true; providerId: string } | { ok: false; error: string };

export type BatchAnswer =
	/** The provider took the batch: each mail was accepted or refused for good. */
	| { kind: 'done'; results: MailResult[] }
	/** Nothing was sent, or we cannot tell: send the same batch again later (same key, so never twice). */
	| { kind: 'retry'; error: string; rateLimited: boolean; retryAfterMs?: number }
	/**
	 * The whole batch was refused for good (a bad key, an unverified domain…). `maybeSent` when the refusal does
	 * not prove it was never accepted (the key was already used): then the batch must keep its key.
	 */
	| { kind: 'refused'; error: string; maybeSent?: boolean }
	/** Not sent: beforeCall said the batch is no longer ours. */
	| { kind: 'abandoned' };

export interface SendOptions {
	/** Runs right before the call (after any wait) and may call it off. */
	beforeCall?: () => boolean;
	/** How long to wait for the provider's answer before giving the call up as unanswered. */
	timeoutMs: number;
}

export interface Transport {
	/** Sends up to 100 mails in one call under one idempotency key; results are in the same order. */
	send(batch: OutgoingMail[], batchKey: string, options: SendOptions): Promise<BatchAnswer>;
	/** How long until the provider may be called again (after a 429, a retry-after or an exhausted rate window). */
	readyIn(): number;
}

/**
 * Demo mode: mails land in the demo mailbox at /dev/mailbox, once per outbox key, in a savepoint of the next group
 * commit. A crash before the sender records the results sends the frozen batch again: the key makes that a no-op.
 */
const demoTransport: Transport = {
	async send(batch, _key, { beforeCall }) {
		if (beforeCall && !beforeCall()) return { kind: 'abandoned' };
		const ids = await groupWrite(() => deliverToMailbox(batch));
		return { kind: 'done', results: ids.map((id): MailResult => ({ ok: true, providerId: `demo-${id}` })) };
	},
	readyIn: () => 0
};

/** Seconds (or an HTTP date) in a header, as milliseconds from now. */
function headerDelay(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function resendTransport(): Transport {
	const client = resend();
	let notBefore = 0;
	let lane: Promise<unknown> = Promise.resolve();

	/** Honours retry-after and the ratelimit-* headers: no call before the provider said we may. */
	function pace(headers: Record<string, string> | null, status: number, now: number): number | undefined {
		const retryAfter = headerDelay(headers?.['retry-after'], now);
		const reset = headers?.['ratelimit-remaining'] === '0' ? headerDelay(headers?.['ratelimit-reset'], now) : undefined;
		// A 429 that says nothing about when: wait a second rather than call again at once.
		const fallback = status === 429 && retryAfter === undefined && reset === undefined ? 1000 : 0;
		const wait = Math.max(retryAfter ?? 0, reset ?? 0, fallback);
		if (wait > 0) notBefore = Math.max(notBefore, now + wait);
		return retryAfter;
	}

	async function callOnce(
		batch: OutgoingMail[],
		batchKey: string,
		{ beforeCall, timeoutMs }: SendOptions
	): Promise<BatchAnswer> {
		const wait = notBefore - Date.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		if (beforeCall && !beforeCall()) return { kind: 'abandoned' };
		const { data, error, headers } = await client.batch.send(batch.map(toResendEmail), {
			idempotencyKey: batchKey,
			batchValidation: 'permissive',
			signal: AbortSignal.timeout(timeoutMs)
		});
		const status = error ? (error.statusCode ?? 0) : 200;
		const retryAfterMs = pace(headers, status, Date.now());
		if (error) {
			const message = `${status || 'no answer'} ${error.name}: ${error.message}`;
			// 409 concurrent_idempotent_requests: the same batch is being sent by another scheduler right now.
			const retry = status === 0 || status === 429 || status >= 500 || error.name === 'concurrent_idempotent_requests';
			// The same key with another payload: cannot happen with frozen batches, and proves nothing was not sent.
			if (!retry) return { kind: 'refused', error: message, maybeSent: error.name === 'invalid_idempotent_request' };
			return { kind: 'retry', error: message, rateLimited: status === 429, retryAfterMs };
		}
		// Permissive validation: data holds the created mails in order, errors the refused ones by index.
		const refused = new Map((data.errors ?? []).map((e) => [e.index, e.message]));
		const ids = data.data.map((d) => d.id);
		let next = 0;
		const results = batch.map((_, i): MailResult => {
			const reason = refused.get(i);
			if (reason !== undefined) return { ok: false, error: `refused by Resend: ${reason}` };
			const id = ids[next++];
			return id ? { ok: true, providerId: id } : { ok: false, error: 'Resend answered without an id for this mail' };
		});
		return { kind: 'done', results };
	}

	return {
		readyIn: () => Math.max(0, notBefore - Date.now()),
		send(batch, batchKey, options) {
			// One call at a time, in order: a retry-after seen by one call holds back the next.
			const call = lane.then(() => callOnce(batch, batchKey, options));
			lane = call.catch(() => undefined);
			return call;
		}
	};
}

let current: { key: string | undefined; transport: Transport } | undefined;

export function transport(): Transport {
	const { resendApiKey } = config();
	if (current?.key !== resendApiKey || !current) {
		current = { key: resendApiKey, transport: resendApiKey ? resendTransport() : demoTransport };
	}
	return current.transport;
}
