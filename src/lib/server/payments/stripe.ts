import Stripe from 'stripe';
import { config } from '../env';

let client: Stripe | undefined;

/** The store's one Stripe client, built from the configuration. Only exists when STRIPE_SECRET_KEY is set. */
export function stripe(): Stripe {
	if (client) return client;
	const { stripeSecretKey, stripeApiBase } = config();
	if (!stripeSecretKey) throw new Error('STRIPE_SECRET_KEY is not set: demo payments never call Stripe');
	client = new Stripe(stripeSecretKey, {
		...apiBaseOptions(stripeApiBase),
		// A buyer waits on this call: give up early enough to show the "try again" page.
		timeout: 8_000,
		maxNetworkRetries: 1,
		telemetry: false
	});
	return client;
}

/** STRIPE_API_BASE (e.g. http://127.0.0.1:12111) as the SDK's host, port and protocol options. */
function apiBaseOptions(base: URL | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
	if (!base) return {};
	const protocol = base.protocol === 'http:' ? 'http' : 'https';
	return { protocol, host: base.hostname, port: base.port || (protocol === 'http' ? 80 : 443) };
}

/** True for Stripe's answer "no such object" (the id is unknown to this account). */
export function isMissingObject(e: unknown): boolean {
	return e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404;
}
