import Stripe from 'stripe';
import * as v from 'valibot';
import { oneLineName } from '../auth/user';
import { EmailAddress } from '../email-address';
import { completeDemoSession, findDemoSession, type DemoSession } from './demo';
import { handleStripeWebhook, webhookSecret } from './webhook';

/** What the demo checkout asks for. */
export const DemoPaymentForm = v.object({
	email: EmailAddress,
	name: v.pipe(v.string(), v.transform(oneLineName), v.maxLength(100, 'নামটি ১০০ অক্ষরের মধ্যে লিখুন।'))
});

/** The checkout.session.completed event Stripe would send, in its documented shape. */
function completedEvent(s: DemoSession): Record<string, unknown> {
	return {
		id: `evt_demo_${s.id.slice('cs_demo_'.length)}`,
		object: 'event',
		api_version: Stripe.API_VERSION,
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type: 'checkout.session.completed',
		data: {
			object: {
				id: s.id,
				object: 'checkout.session',
				mode: 'payment',
				status: 'complete',
				payment_status: 'paid',
				amount_subtotal: s.amount,
				amount_total: s.amount,
				currency: s.currency.toLowerCase(),
				customer_details: { email: s.email, name: s.name },
				metadata: { course_id: s.courseId },
				payment_intent: s.paymentIntentId,
				livemode: false
			}
		}
	};
}

/**
 * "Pays" a demo checkout: marks the session paid, then delivers a signed checkout.session.completed
 * through the same webhook handler and fulfilment that Stripe's events go through.
 */
export async function payDemoCheckout(
	id: string,
	email: string,
	name: string | null
): Promise<'paid' | 'already-paid' | 'not-found'> {
	const session = completeDemoSession(id, email, name);
	if (!session) return findDemoSession(id) ? 'already-paid' : 'not-found';
	const payload = JSON.stringify(completedEvent(session));
	const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret() });
	try {
		const outcome = await handleStripeWebhook(Buffer.from(payload), signature);
		if (outcome.status !== 200)
			console.error(`demo checkout: the webhook did not handle the demo event: ${outcome.note}`);
	} catch (e) {
		// The success page fulfils the session itself, so the buyer still gets the course.
		console.error('demo checkout: the webhook handler failed:', e);
	}
	return 'paid';
}
