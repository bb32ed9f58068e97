import { json } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import { formatSize, handleStripeWebhook, readLimitedBody } from '$lib/server/payments/webhook';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	// The same limit adapter-node applies to every request body (BODY_SIZE_LIMIT), so the message is true.
	const limit = config().bodySizeLimit;
	let body;
	try {
		body = await readLimitedBody(request, limit);
	} catch {
		return json({ error: 'the body could not be read' }, { status: 400 });
	}
	if (body === 'too-large') return json({ error: `the body is over ${formatSize(limit)}` }, { status: 413 });
	try {
		const outcome = await handleStripeWebhook(body, request.headers.get('stripe-signature'));
		if (outcome.status === 400) console.warn(`stripe webhook refused: ${outcome.note}`);
		if (outcome.status === 500) console.error(`stripe webhook: not handled, Stripe will retry: ${outcome.note}`);
		return json({ received: outcome.status === 200, note: outcome.note }, { status: outcome.status });
	} catch (e) {
		// Stripe retries a 5xx with backoff, so a passing failure (Stripe's API, a locked database) heals itself.
		console.error('stripe webhook: the handler failed, Stripe will retry:', e);
		return json({ error: 'the event could not be handled now' }, { status: 500 });
	}
};
