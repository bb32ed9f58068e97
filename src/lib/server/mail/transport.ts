import { Resend } from 'resend';
import { db } from '../db';
import { config } from '../env';
import type { ComposedMail } from './templates';

export interface OutgoingMail extends ComposedMail {
	key: string;
	to: string;
	from: string;
}

export type SendResult =
	| { ok: true; providerId: string }
	/** Try again later: at retryAfterMs when the provider said so. */
	| { ok: false; retry: true; error: string; retryAfterMs?: number }
	| { ok: false; retry: false; error: string };

export interface Transport {
	/** Sends up to 100 mails in one call; results are in the same order. */
	send(batch: OutgoingMail[], batchKey: string): Promise<SendResult[]>;
}

/** Demo mode: mails land in the demo mailbox at /dev/mailbox. */
const demoTransport: Transport = {
	send(batch) {
		const insert = db().$client.prepare(
			'insert into demo_mailbox (to_email, subject, html, text, headers) values (?, ?, ?, ?, ?) returning id'
		);
		return Promise.resolve(
			batch.map((mail) => {
				const row = insert.get(mail.to, mail.subject, mail.html, mail.text, JSON.stringify(mail.headers)) as {
					id: number;
				};
				return { ok: true as const, providerId: `demo-${row.id}` };
			})
		);
	}
};

function retryAfterMs(headers: Record<string, string> | null): number | undefined {
	const value = headers?.['retry-after'] ?? headers?.['ratelimit-reset'];
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function resendTransport(apiKey: string): Transport {
	// The SDK reads RESEND_BASE_URL itself, so tests point it at a local fake.
	const resend = new Resend(apiKey);
	return {
		async send(batch, batchKey) {
			const { data, error, headers } = await resend.batch.send(
				batch.map((m) => ({
					from: m.from,
					to: [m.to],
					subject: m.subject,
					html: m.html,
					text: m.text,
					headers: m.headers
				})),
				{ idempotencyKey: batchKey }
			);
			if (error) {
				const status = (error as { statusCode?: number | null }).statusCode ?? 0;
				const retry = status === 0 || status === 429 || status >= 500;
				const message = `${status} ${error.name}: ${error.message}`;
				return batch.map(() =>
					retry
						? { ok: false as const, retry: true as const, error: message, retryAfterMs: retryAfterMs(headers) }
						: { ok: false as const, retry: false as const, error: message }
				);
			}
			return batch.map((_, i) => {
				const id = data?.data[i]?.id;
				return id
					? { ok: true as const, providerId: id }
					: { ok: false as const, retry: true as const, error: 'no id in the answer' };
			});
		}
	};
}

let current: Transport | undefined;

export function transport(): Transport {
	const { resendApiKey } = config();
	return (current ??= resendApiKey ? resendTransport(resendApiKey) : demoTransport);
}
