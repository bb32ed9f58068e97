import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/** The webhook secret the Stripe-mode tests configure the server with. */
export const WEBHOOK_SECRET = 'whsec_test';

const random = (n: number) => randomBytes(n).toString('hex');

export interface SignedEvent {
	id: string;
	body: string;
}

/** An event in the shape Stripe sends it. */
export function stripeEvent(type: string, object: unknown, id = `evt_${random(12)}`): SignedEvent {
	const body = JSON.stringify({
		id,
		object: 'event',
		api_version: Stripe.API_VERSION,
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		data: { object }
	});
	return { id, body };
}

/** A Stripe-Signature header for body, signed now (or at `timestamp`, in seconds) with secret. */
export function signature(body: string, secret = WEBHOOK_SECRET, timestamp?: number): string {
	return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
}

/** POSTs a delivery to the store's webhook endpoint as Stripe does. */
export function deliver(
	origin: string,
	body: string,
	stripeSignature: string | null = signature(body)
): Promise<Response> {
	const headers: Record<string, string> = {
		'content-type': 'application/json; charset=utf-8',
		'user-agent': 'Stripe/1.0'
	};
	if (stripeSignature !== null) headers['stripe-signature'] = stripeSignature;
	return fetch(`${origin}/api/webhooks/stripe`, { method: 'POST', body, headers });
}

export function charge(paymentIntent: string, amount: number, refunded: number): Record<string, unknown> {
	return {
		id: `ch_${random(12)}`,
		object: 'charge',
		amount,
		amount_captured: amount,
		amount_refunded: refunded,
		captured: true,
		currency: 'bdt',
		paid: true,
		payment_intent: paymentIntent,
		refunded: refunded >= amount,
		status: 'succeeded'
	};
}

export function dispute(paymentIntent: string, status: string, amount = 150000): Record<string, unknown> {
	return {
		id: `dp_${random(12)}`,
		object: 'dispute',
		amount,
		charge: `ch_${random(12)}`,
		currency: 'bdt',
		payment_intent: paymentIntent,
		reason: 'fraudulent',
		status
	};
}
