/**
 * Resend's webhooks (Svix signatures). A permanent bounce or a complaint suppresses the address for all mail and
 * stops its sequences; every delivery id is recorded, so a repeated delivery changes nothing.
 */
import { sql } from 'drizzle-orm';
import { normalizeEmail } from '../auth/tokens';
import { recordMailEvent } from '../broadcasts/stats';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { resendEvents } from '../db/schema';
import { resend } from './resend';
import { suppress } from './suppressions';

export const MAX_WEBHOOK_BYTES = 256 * 1024;

export type WebhookOutcome = { status: number; message: string };

interface ResendEvent {
	type?: unknown;
	data?: { to?: unknown; email_id?: unknown; bounce?: { type?: unknown; subType?: unknown; message?: unknown } };
}

const recordDelivery = preparedFor((db) =>
	db
		.insert(resendEvents)
		.values({ id: sql.placeholder('id'), type: sql.placeholder('type') })
		.onConflictDoNothing()
		.prepare()
);

/** Verifies and handles one delivery; headers are read in both the svix-* and the webhook-* spelling. */
export function handleResendWebhook(body: string, headers: Headers, secret: string): WebhookOutcome {
	const header = (name: string): string => headers.get(`svix-${name}`) ?? headers.get(`webhook-${name}`) ?? '';
	const id = header('id');
	let event: ResendEvent;
	try {
		event = resend().webhooks.verify({
			payload: body,
			headers: { id, timestamp: header('timestamp'), signature: header('signature') },
			webhookSecret: secret
		}) as ResendEvent;
	} catch {
		return { status: 400, message: 'invalid signature' };
	}
	if (!id || typeof event !== 'object' || event === null || typeof event.type !== 'string') {
		return { status: 400, message: 'not a Resend event' };
	}
	const type = event.type;
	const recipients = Array.isArray(event.data?.to)
		? event.data.to.filter((t): t is string => typeof t === 'string')
		: [];
	return writeTransaction(() => {
		const first = recordDelivery().run({ id, type }).changes > 0;
		if (!first) return { status: 200, message: 'already handled' };
		const detail = `${type} ${typeof event.data?.email_id === 'string' ? event.data.email_id : ''}`.trim();
		if (type === 'email.complained') {
			for (const to of recipients) suppress(normalizeEmail(to), 'complained', detail);
			return { status: 200, message: 'suppressed' };
		}
		if (type === 'email.bounced') {
			// Only a permanent bounce says the address is gone; a transient one (mailbox full…) may pass.
			const bounce = event.data?.bounce;
			const kind = typeof bounce?.type === 'string' ? bounce.type.toLowerCase() : '';
			if (kind !== 'permanent') return { status: 200, message: `${kind || 'unknown'} bounce noted` };
			for (const to of recipients)
				suppress(
					normalizeEmail(to),
					'bounced',
					`${detail} ${typeof bounce?.subType === 'string' ? bounce.subType : ''}`.trim()
				);
			return { status: 200, message: 'suppressed' };
		}
		// Delivered and clicked count for the broadcasts page; nothing else reads them.
		if (recordMailEvent(type, event.data?.email_id)) return { status: 200, message: 'noted' };
		return { status: 200, message: 'ignored' };
	});
}
