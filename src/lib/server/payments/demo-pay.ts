import * as v from 'valibot';
import { oneLineName } from '../auth/user';
import { EmailAddress } from '../email-address';
import { config } from '../env';
import { completeDemoSession, expireDemoSession, findDemoSession, type DemoSession } from './demo';
import { stripeSdk } from './stripe';
import { handleStripeWebhook, webhookSecret } from './webhook';

/** What the demo checkout asks for. */
export const DemoPaymentForm = v.object({
	email: EmailAddress,
	name: v.pipe(v.string(), v.transform(oneLineName), v.maxLength(100, 'নামটি ১০০ অক্ষরের মধ্যে লিখুন।'))
});

function envelope(id: string, type: string, object: Record<string, unknown>): Record<string, unknown> {
	return {
		id,
		object: 'event',
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		data: { object }
	};
}

/** The checkout.session.completed event Stripe would send, in its documented shape. */
function completedEvent(s: DemoSession): Record<string, unknown> {
	return envelope(`evt_demo_${s.id.slice('cs_demo_'.length)}`, 'checkout.session.completed', {
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
	});
}

/** The checkout.session.expired event Stripe sends for a session left unpaid, with recovery and consent as Checkout collects them. */
function expiredEvent(
	s: DemoSession,
	email: string,
	name: string | null,
	promotions: boolean
): Record<string, unknown> {
	return envelope(`evt_demo_expired_${s.id.slice('cs_demo_'.length)}`, 'checkout.session.expired', {
		id: s.id,
		object: 'checkout.session',
		mode: 'payment',
		status: 'expired',
		payment_status: 'unpaid',
		amount_subtotal: s.amount,
		amount_total: s.amount,
		currency: s.currency.toLowerCase(),
		customer_details: { email, name },
		metadata: { course_id: s.courseId },
		consent: { promotions: promotions ? 'opt_in' : 'opt_out', terms_of_service: null },
		// Stripe's recovery link opens a new checkout; the demo's is the sales page and its buy button.
		after_expiration: {
			recovery: { enabled: true, allow_promotion_codes: true, url: `${config().origin}/`, expires_at: null }
		},
		livemode: false
	});
}

async function deliverDemoEvent(event: Record<string, unknown>): Promise<void> {
	const { API_VERSION, webhooks } = await stripeSdk();
	const payload = JSON.stringify({ ...event, api_version: API_VERSION });
	const signature = webhooks.generateTestHeaderString({ payload, secret: webhookSecret() });
	try {
		const outcome = await handleStripeWebhook(Buffer.from(payload), signature);
		if (outcome.status !== 200)
			console.error(`demo checkout: the webhook did not handle the demo event: ${outcome.note}`);
	} catch (e) {
		console.error('demo checkout: the webhook handler failed:', e);
	}
}

/**
 * The buyer leaves a demo checkout with their email typed in: it expires at once (Stripe's wait an hour, CHECKOUT_LIFETIME_S) and a signed
 * checkout.session.expired goes through the same webhook, so the demo shows the reminder that follows.
 */
export async function leaveDemoCheckout(
	id: string,
	email: string,
	name: string | null,
	promotions: boolean
): Promise<'left' | 'not-found'> {
	const session = expireDemoSession(id);
	if (!session) return 'not-found';
	await deliverDemoEvent(expiredEvent(session, email, name, promotions));
	return 'left';
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
	// If the webhook fails, the success page fulfils the session itself, so the buyer still gets the course.
	await deliverDemoEvent(completedEvent(session));
	return 'paid';
}
