/**
 * POST /api/payments/sms: a wallet SMS forwarded by the seller's phone, signed with PAYMENT_SMS_SECRET. Every
 * message is kept (once, however often it is forwarded); a received-money message approves its claim.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { preparedFor } from '../../db/prepared';
import { walletMessages } from '../../db/schema';
import { config } from '../../env';
import { readLimitedBody } from '../webhook';
import { matchPayment } from './review';
import { parseWalletSms, verifySmsSignature } from './sms';

export interface SmsOutcome {
	status: 200 | 400 | 401 | 404 | 413;
	note: string;
}

/** A forwarded SMS is a few hundred bytes; anything near this is not one. */
const SMS_BODY_LIMIT = 16 * 1024;

const ForwardedSms = v.object({
	sender: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100)),
	text: v.pipe(v.string(), v.nonEmpty(), v.maxLength(4000)),
	received_at: v.pipe(
		v.string(),
		v.maxLength(64),
		v.check((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'received_at must be ISO 8601')
	)
});

const insertMessage = preparedFor((db) =>
	db
		.insert(walletMessages)
		.values({
			digest: sql.placeholder('digest'),
			sender: sql.placeholder('sender'),
			text: sql.placeholder('text'),
			receivedAt: sql.placeholder('receivedAt'),
			method: sql.placeholder('method'),
			trxId: sql.placeholder('trxId'),
			amount: sql.placeholder('amount'),
			fromNumber: sql.placeholder('fromNumber'),
			sentAt: sql.placeholder('sentAt'),
			note: sql.placeholder('note')
		})
		.onConflictDoNothing({ target: walletMessages.digest })
		.returning({ id: walletMessages.id })
		.prepare()
);

/** Stores a message once (by its digest) and matches it; "already stored" when it came before. */
export function storeWalletMessage(sender: string, text: string, receivedAt: string): string {
	const digest = createHash('sha256').update(`${sender}\n${text}\n${receivedAt}`).digest('hex');
	const sms = parseWalletSms(sender, text);
	const row = insertMessage().get({
		digest,
		sender,
		text,
		receivedAt,
		method: sms?.method ?? null,
		trxId: sms?.trxId ?? null,
		amount: sms?.amount ?? null,
		fromNumber: sms?.from ?? null,
		sentAt: sms?.sentAt ?? null,
		note: sms ? null : 'not a received-money message of bKash, Nagad or Rocket'
	});
	if (!row) return 'already stored';
	if (!sms) return 'stored: not a received-money message';
	return `stored: ${matchPayment(row.id, sms.method, sms.trxId, sms.amount, 'sms').note}`;
}

export async function receiveWalletSms(
	request: Request,
	nowSeconds = Math.floor(Date.now() / 1000)
): Promise<SmsOutcome> {
	const secret = config().paymentSmsSecret;
	if (!secret) return { status: 404, note: 'not found' };
	let body;
	try {
		body = await readLimitedBody(request, SMS_BODY_LIMIT);
	} catch {
		return { status: 400, note: 'the body could not be read' };
	}
	if (body === 'too-large') return { status: 413, note: 'the body is over 16 KB' };
	const raw = Buffer.from(body).toString('utf8');
	const { headers } = request;
	if (!verifySmsSignature(secret, headers.get('x-timestamp'), headers.get('x-signature'), raw, nowSeconds))
		return { status: 401, note: 'bad or stale signature' };
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		return { status: 400, note: 'the body is not JSON' };
	}
	const parsed = v.safeParse(ForwardedSms, json);
	if (!parsed.success) return { status: 400, note: `malformed: ${parsed.issues[0].message}` };
	const { sender, text, received_at } = parsed.output;
	return { status: 200, note: storeWalletMessage(sender, text, received_at) };
}
