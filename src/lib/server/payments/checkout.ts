import * as v from 'valibot';
import { course } from '../course';
import { config } from '../env';
import { hitRateLimits, type RateLimitResult } from '../rate-limit';
import { createDemoSession } from './demo';
import { stripe } from './stripe';

export interface StartedCheckout {
	sessionId: string;
	/** Where to send the buyer: Stripe's hosted page, or the demo checkout. */
	url: string;
}

/** A Checkout Session id as Stripe (cs_test_…, cs_live_…) or the demo checkout (cs_demo_…) writes it. */
export const CheckoutSessionId = v.pipe(v.string(), v.regex(/^cs_\w{1,250}$/));

/** Far more checkouts than a buyer retrying ever starts; a script that starts them by the hundred gets two a minute. */
export const CHECKOUTS_PER_ADDRESS = { limit: 20, windowMs: 10 * 60 * 1000 };

/** Counts one checkout for this address (see client-address.ts), or says when it may start another. */
export function hitCheckoutLimit(address: string, now = Date.now()): RateLimitResult {
	return hitRateLimits([{ bucket: `checkout-ip:${address}`, ...CHECKOUTS_PER_ADDRESS }], now);
}

/**
 * How long Stripe keeps a checkout open (its default is a day, its shortest 30 minutes): an unpaid one expires
 * after an hour, so its reminder (course/emails/recovery/stripe.md, an hour after that) reaches the buyer the
 * same evening instead of the next day.
 */
export const CHECKOUT_LIFETIME_S = 60 * 60;

/**
 * Starts a checkout for the course at the catalogue's price; the buyer's entry source rides with the session, so the
 * webhook's order counts under it. Throws when Stripe fails or times out.
 */
export async function startCheckout(source: string): Promise<StartedCheckout> {
	if (config().demoPayments) {
		const id = createDemoSession(source);
		return { sessionId: id, url: `/checkout/demo/${id}` };
	}
	const { id: courseId, title, price, currency } = course();
	const { origin } = config();
	const session = await (
		await stripe()
	).checkout.sessions.create({
		mode: 'payment',
		line_items: [
			{
				quantity: 1,
				price_data: {
					currency: currency.toLowerCase(),
					unit_amount: price,
					product_data: { name: title, metadata: { course_id: courseId } }
				}
			}
		],
		allow_promotion_codes: true,
		// An expired checkout gets a link back to it, and the buyer may agree to mail about it (recovery.ts).
		after_expiration: { recovery: { enabled: true } },
		consent_collection: { promotions: 'auto' },
		expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_LIFETIME_S,
		metadata: { course_id: courseId, source },
		payment_intent_data: { metadata: { course_id: courseId } },
		success_url: `${origin}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
		cancel_url: `${origin}/?checkout=cancelled`
	});
	if (!session.url) throw new Error(`Stripe answered checkout session ${session.id} without a url`);
	return { sessionId: session.id, url: session.url };
}
