import * as v from 'valibot';
import { course } from '../course';
import { groupWrite } from '../db/group-write';
import { config } from '../env';
import { recordDispute, recordFullRefund } from './entitlement';
import { CheckoutSessionId } from './checkout';
import { CheckoutSessionUnreadable } from './checkout-session';
import { demoWebhookSecret } from './demo';
import { fulfil, recordPaymentIssue, type FulfilResult } from './fulfil';
import { remindExpiredSession } from './recovery';
import { stripeSdk } from './stripe';
import { recordStripeEvent, seenStripeEvent, type StripeEventRef } from './stripe-events';

/**
 * 200: handled, ignored or already seen. 400: refused, and nothing changed. 500: not handled, so that Stripe
 * sends it again (a thrown error means the same).
 */
export interface StripeWebhookOutcome {
	status: 200 | 400 | 500;
	note: string;
	/** The event is already in the event log, written in the handler's own transaction. */
	recorded?: boolean;
}

const Envelope = v.object({
	id: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
	type: v.string(),
	data: v.object({ object: v.unknown() })
});
const SessionRef = v.object({
	id: CheckoutSessionId,
	metadata: v.nullish(v.record(v.string(), v.string()))
});
const Charge = v.object({
	id: v.string(),
	payment_intent: v.nullable(v.union([v.string(), v.object({ id: v.string() })])),
	refunded: v.boolean()
});
const Dispute = v.object({
	id: v.string(),
	payment_intent: v.nullish(v.union([v.string(), v.object({ id: v.string() })])),
	status: v.pipe(v.string(), v.minLength(1), v.maxLength(40))
});

const ok = (note: string): StripeWebhookOutcome => ({ status: 200, note });
const refused = (note: string): StripeWebhookOutcome => ({ status: 400, note });
const retry = (note: string): StripeWebhookOutcome => ({ status: 500, note });
const idOf = (x: string | { id: string } | null | undefined) => (typeof x === 'string' ? x : (x?.id ?? null));
const otherCourse = (metadata: Record<string, string> | null | undefined) =>
	metadata?.course_id !== undefined && metadata.course_id !== course().id;

async function fulfilSession(object: unknown, event: StripeEventRef): Promise<StripeWebhookOutcome> {
	const session = v.safeParse(SessionRef, object);
	if (!session.success) return refused('the event carries no checkout session id');
	if (otherCourse(session.output.metadata)) return ok('another product');
	const { id } = session.output;
	// A paid checkout whose session cannot be read must not vanish: the seller is told, and Stripe retries.
	let result: FulfilResult;
	try {
		result = await fulfil(id, { event });
	} catch (e) {
		if (!(e instanceof CheckoutSessionUnreadable)) throw e;
		recordPaymentIssue(
			id,
			'session_unreadable',
			`Stripe থেকে এই চেকআউট সেশনটি পড়া গেল না (${e.message})। Stripe ইভেন্টটি আবার পাঠাবে, পড়া গেলে অর্ডারটি তখন হবে। বারবার এমন হলে STRIPE_SECRET_KEY আর Stripe-এর অবস্থা দেখুন।`
		);
		return retry(`the session could not be read from Stripe: ${e.message}`);
	}
	if (result.status === 'not-found') {
		recordPaymentIssue(
			id,
			'session_not_found',
			'সই-করা ইভেন্ট এসেছে, কিন্তু Stripe বলছে এই সেশনটি নেই (404)। সম্ভবত STRIPE_SECRET_KEY আর ওয়েবহুকটি (STRIPE_WEBHOOK_SECRET) আলাদা অ্যাকাউন্ট বা মোডের (test/live): Stripe Dashboard-এ দুটো মিলিয়ে দেখুন। ঠিক করার পর Stripe ইভেন্টটি আবার পাঠালে অর্ডারটি হবে।'
		);
		return retry('Stripe does not know this session: are the API key and the webhook of the same account and mode?');
	}
	// A new order logged the event in its own savepoint: one group commit, so one fsync, for many deliveries.
	return { ...ok(result.status), recorded: result.status === 'fulfilled' && result.firstTime };
}

function recordAsyncFailure(object: unknown): StripeWebhookOutcome {
	const session = v.safeParse(SessionRef, object);
	if (!session.success) return refused('the event carries no checkout session id');
	if (otherCourse(session.output.metadata)) return ok('another product');
	recordPaymentIssue(session.output.id, 'async_payment_failed', 'the delayed payment failed; nothing was granted');
	return ok('recorded');
}

function applyRefund(object: unknown): StripeWebhookOutcome {
	const charge = v.safeParse(Charge, object);
	if (!charge.success) return refused('the event carries no charge');
	const paymentIntentId = idOf(charge.output.payment_intent);
	if (!paymentIntentId) return ok('a charge without a payment intent');
	if (!charge.output.refunded) return ok('partial refund: access kept');
	recordFullRefund(paymentIntentId);
	return ok('refunded');
}

function applyDispute(object: unknown): StripeWebhookOutcome {
	const dispute = v.safeParse(Dispute, object);
	if (!dispute.success) return refused('the event carries no dispute');
	const paymentIntentId = idOf(dispute.output.payment_intent);
	if (!paymentIntentId) return ok('a dispute without a payment intent');
	recordDispute(paymentIntentId, dispute.output.status);
	return ok(`dispute ${dispute.output.status}`);
}

function remindExpired(object: unknown, event: StripeEventRef): StripeWebhookOutcome {
	const { refused: bad, note, recorded } = remindExpiredSession(object, event);
	return bad ? refused(note) : { ...ok(note), recorded };
}

const handlers = new Map<
	string,
	(object: unknown, event: StripeEventRef) => StripeWebhookOutcome | Promise<StripeWebhookOutcome>
>([
	['checkout.session.completed', fulfilSession],
	['checkout.session.async_payment_succeeded', fulfilSession],
	['checkout.session.async_payment_failed', recordAsyncFailure],
	['checkout.session.expired', remindExpired],
	['charge.refunded', applyRefund],
	['charge.dispute.created', applyDispute],
	['charge.dispute.closed', applyDispute]
]);

/** The secret events are signed with: STRIPE_WEBHOOK_SECRET, or in demo payments one generated for this store. */
export function webhookSecret(): string {
	const { stripeWebhookSecret } = config();
	return stripeWebhookSecret ?? demoWebhookSecret();
}

/**
 * Verifies a delivery against its raw body and applies it once. Every handler is idempotent, so a delivery
 * that races its own retry is harmless; the event log makes a repeated event a no-op.
 */
export async function handleStripeWebhook(body: Uint8Array, signature: string | null): Promise<StripeWebhookOutcome> {
	if (!signature) return refused('no Stripe-Signature header');
	const secret = webhookSecret();
	const { webhooks } = await stripeSdk();
	let event: unknown;
	try {
		event = webhooks.constructEvent(body, signature, secret);
	} catch (e) {
		return refused(e instanceof Error ? e.message : 'the signature does not verify');
	}
	const envelope = v.safeParse(Envelope, event);
	if (!envelope.success) return refused('not a Stripe event');
	const { id, type, data } = envelope.output;

	if (seenStripeEvent().get({ id })) return ok('already handled');
	const handler = handlers.get(type);
	const outcome = handler ? await handler(data.object, { id, type }) : ok(`${type} is not used here`);
	// In the next group commit, as a sale is: a delivery is answered 200 only once its event is on disk.
	if (outcome.status === 200 && !outcome.recorded) await groupWrite(() => recordStripeEvent().run({ id, type }));
	return outcome;
}

/** A byte count as the 413 message states it: 1 MB, 512 KB, 1000 bytes. */
export function formatSize(n: number): string {
	if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MB`;
	if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
	return `${n} bytes`;
}

/** The request body, at most limit bytes; "too-large" past it (also when adapter-node's BODY_SIZE_LIMIT stops it). */
export async function readLimitedBody(request: Request, limit: number): Promise<Uint8Array | 'too-large'> {
	if (Number(request.headers.get('content-length')) > limit) return 'too-large';
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (let read = await reader.read(); !read.done; read = await reader.read()) {
			size += read.value.byteLength;
			if (size > limit) {
				await reader.cancel();
				return 'too-large';
			}
			chunks.push(read.value);
		}
	} catch (e) {
		if ((e as { status?: number }).status === 413) return 'too-large';
		throw e;
	}
	return Buffer.concat(chunks);
}
