import * as v from 'valibot';
import { config } from '../env';
import { readDemoSession } from './demo';
import { isMissingObject, stripe } from './stripe';

/** What fulfilment needs to know about a Checkout Session, whoever keeps it (Stripe, or the demo checkout). */
export interface CheckoutFacts {
	id: string;
	mode: string;
	/** paid, unpaid or no_payment_required (a promotion code covered the whole price). */
	paymentStatus: string;
	courseId: string | undefined;
	/** Before discounts, in the minor unit. */
	amountSubtotal: number | null;
	/** What the buyer paid, in the minor unit. */
	amountTotal: number | null;
	amountDiscount: number;
	/** Upper case, like the catalogue's. */
	currency: string | null;
	email: string | null;
	name: string | null;
	paymentIntentId: string | null;
	promotionCode: string | null;
	livemode: boolean;
	/** The buyer's entry source when the checkout started; null for a session started before it was kept. */
	source: string | null;
}

const idOrObject = v.union([v.string(), v.object({ id: v.string() })]);

/** The parts of Stripe's Checkout Session object that we read (https://docs.stripe.com/api/checkout/sessions/object). */
const StripeSession = v.object({
	id: v.string(),
	mode: v.string(),
	payment_status: v.string(),
	amount_subtotal: v.nullable(v.number()),
	amount_total: v.nullable(v.number()),
	currency: v.nullable(v.string()),
	customer_details: v.nullish(v.object({ email: v.nullish(v.string()), name: v.nullish(v.string()) })),
	customer_email: v.nullish(v.string()),
	metadata: v.nullish(v.record(v.string(), v.string())),
	payment_intent: v.nullish(idOrObject),
	discounts: v.nullish(
		v.array(
			v.object({
				promotion_code: v.nullish(v.union([v.string(), v.object({ id: v.string(), code: v.string() })]))
			})
		)
	),
	total_details: v.nullish(v.object({ amount_discount: v.number() })),
	livemode: v.boolean()
});

function idOf(value: string | { id: string } | null | undefined): string | null {
	if (value == null) return null;
	return typeof value === 'string' ? value : value.id;
}

/** Stripe could not tell us about a session: unreachable, our key refused, or an answer we cannot read. */
export class CheckoutSessionUnreadable extends Error {
	override name = 'CheckoutSessionUnreadable';
}

function factsFromStripe(s: v.InferOutput<typeof StripeSession>): CheckoutFacts {
	const promotion = s.discounts?.find((d) => d.promotion_code)?.promotion_code;
	return {
		id: s.id,
		mode: s.mode,
		paymentStatus: s.payment_status,
		courseId: s.metadata?.course_id,
		amountSubtotal: s.amount_subtotal,
		amountTotal: s.amount_total,
		amountDiscount: s.total_details?.amount_discount ?? 0,
		currency: s.currency?.toUpperCase() ?? null,
		email: s.customer_details?.email ?? s.customer_email ?? null,
		name: s.customer_details?.name ?? null,
		paymentIntentId: idOf(s.payment_intent),
		promotionCode: promotion == null ? null : typeof promotion === 'string' ? promotion : promotion.code,
		livemode: s.livemode,
		source: s.metadata?.source ?? null
	};
}

async function retrieveFromStripe(id: string): Promise<CheckoutFacts | null> {
	let session: unknown;
	try {
		session = await (await stripe()).checkout.sessions.retrieve(id, { expand: ['discounts.promotion_code'] });
	} catch (e) {
		if (isMissingObject(e)) return null;
		throw new CheckoutSessionUnreadable(e instanceof Error ? e.message : String(e), { cause: e });
	}
	const parsed = v.safeParse(StripeSession, session);
	if (!parsed.success) throw new CheckoutSessionUnreadable(`an answer we cannot read: ${v.summarize(parsed.issues)}`);
	return factsFromStripe(parsed.output);
}

/**
 * The session retriever fulfilment uses: Stripe's API, or in demo payments the demo session in SQLite.
 * Returns null for an id nobody knows; throws CheckoutSessionUnreadable when Stripe cannot tell.
 * Never call it inside a database transaction.
 */
export function retrieveCheckoutSession(id: string): Promise<CheckoutFacts | null> {
	return config().demoPayments ? Promise.resolve(readDemoSession(id)) : retrieveFromStripe(id);
}
