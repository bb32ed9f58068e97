import type Stripe from 'stripe';
import { config } from '../env';

let sdk: typeof Stripe | undefined;
let client: Stripe | undefined;

/**
 * Stripe's SDK, loaded at its first use: the biggest module of the server (~740 KB), which a start, the pages and a
 * demo store's reading never need. A webhook, a checkout or a demo payment loads it once.
 */
export async function stripeSdk(): Promise<typeof Stripe> {
	return (sdk ??= (await import('stripe')).default);
}

/** The store's one Stripe client, built from the configuration. Only exists when STRIPE_SECRET_KEY is set. */
export async function stripe(): Promise<Stripe> {
	if (client) return client;
	const { stripeSecretKey, stripeApiBase } = config();
	if (!stripeSecretKey) throw new Error('STRIPE_SECRET_KEY is not set: demo payments never call Stripe');
	const Sdk = await stripeSdk();
	client ??= new Sdk(stripeSecretKey, {
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

/** True for Stripe's answer "no such object" (the id is unknown to this account); such an answer loaded the SDK. */
export function isMissingObject(e: unknown): boolean {
	return !!sdk && e instanceof sdk.errors.StripeInvalidRequestError && e.statusCode === 404;
}
