import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutSession, FakeStripe } from '../support/fake-stripe';
import type { TestServer } from '../support/server';
import { deliver, signature, stripeEvent } from '../support/stripe-events';
import { count, mailSettled, snapshot, startStripeStore, theCourse } from './setup';

let server: TestServer;
let fake: FakeStripe;

beforeAll(async () => {
	({ server, fake } = await startStripeStore());
	// Some earlier business, so that "unchanged" means something.
	const s = paid({});
	await deliver(server.origin, stripeEvent('checkout.session.completed', s).body);
	await mailSettled(server.db);
});
afterAll(async () => {
	await server?.stop();
	await fake?.stop();
});

function paid(overrides: Partial<CheckoutSession>): CheckoutSession {
	const s = fake.addSession({ metadata: { course_id: theCourse.id }, currency: theCourse.currency.toLowerCase() });
	s.amount_subtotal = s.amount_total = theCourse.price;
	fake.pay(s.id, { email: `someone${fake.sessions.size}@example.com` });
	return Object.assign(s, overrides);
}

/** The whole database, but for the event log (a verified event is logged even when it changes nothing else). */
const business = () => snapshot(server.db, ['stripe_events']);

describe('bad input to the webhook leaves the database as it was', () => {
	it('malformed JSON, even correctly signed: 400', async () => {
		const before = snapshot(server.db);
		const body = '{"id": "evt_1", "type": "checkout.session.completed", "data": {';
		expect((await deliver(server.origin, body)).status).toBe(400);
		expect((await deliver(server.origin, 'not json at all')).status).toBe(400);
		expect(snapshot(server.db)).toEqual(before);
	});

	it('a valid signature over an event with missing fields: 400', async () => {
		const before = snapshot(server.db);
		const bodies = [
			JSON.stringify({ id: 'evt_no_type', object: 'event', data: { object: {} } }),
			JSON.stringify({ id: 'evt_no_data', object: 'event', type: 'checkout.session.completed' }),
			JSON.stringify({ object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_test_1' } } }),
			stripeEvent('checkout.session.completed', { object: 'checkout.session' }).body,
			stripeEvent('checkout.session.completed', { id: 'not-a-session-id' }).body,
			stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge' }).body,
			stripeEvent('charge.dispute.created', { id: 'dp_1', object: 'dispute', payment_intent: 'pi_1' }).body,
			JSON.stringify([1, 2, 3]),
			'null'
		];
		for (const body of bodies) {
			const res = await deliver(server.origin, body);
			expect(res.status, body).toBe(400);
		}
		expect(snapshot(server.db)).toEqual(before);
	});

	it("an event for another product's session: 200, nothing granted", async () => {
		const before = business();
		const other = paid({ metadata: { course_id: 'another-course' } });
		// Once as Stripe sends it, once with the product hidden from the event so that the session itself is checked.
		expect((await deliver(server.origin, stripeEvent('checkout.session.completed', other).body)).status).toBe(200);
		expect(
			(await deliver(server.origin, stripeEvent('checkout.session.completed', { id: other.id }).body)).status
		).toBe(200);
		const subscription = paid({ mode: 'subscription' });
		expect(
			(await deliver(server.origin, stripeEvent('checkout.session.completed', { id: subscription.id }).body)).status
		).toBe(200);
		expect(business()).toEqual(before);
	});

	it('an amount or currency that is not the catalogue price: 200, recorded for the seller, nothing granted', async () => {
		const before = snapshot(server.db, ['stripe_events', 'payment_issues', 'checkout_bindings']);
		const cheap = paid({ amount_subtotal: 100, amount_total: 100 });
		const otherCurrency = paid({ currency: theCourse.currency === 'USD' ? 'bdt' : 'usd' });
		const badDiscount = paid({ amount_total: 1 });
		for (const s of [cheap, otherCurrency, badDiscount]) {
			const res = await deliver(server.origin, stripeEvent('checkout.session.completed', { id: s.id }).body);
			expect(res.status).toBe(200);
			expect(count(server.db, 'payment_issues', `checkout_session_id = '${s.id}' and kind = 'amount_mismatch'`)).toBe(
				1
			);
		}
		// The success page (of a checkout the store started) says the payment is being checked, and grants nothing either.
		server.db
			.prepare(`insert into checkout_bindings (checkout_session_id, browser_hash) values (?, 'x')`)
			.run(cheap.id);
		const page = await fetch(`${server.origin}/checkout/success?session_id=${cheap.id}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('যাচাই করছি');
		expect(snapshot(server.db, ['stripe_events', 'payment_issues', 'checkout_bindings'])).toEqual(before);
	});

	it('a body over 1 MB, with or without a Content-Length: 413 saying 1 MB', async () => {
		const before = snapshot(server.db);
		const over = JSON.stringify({ id: 'evt_huge', type: 'checkout.session.completed', padding: 'x'.repeat(MB) });
		const res = await deliver(server.origin, over);
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual({ error: 'the body is over 1 MB' });
		// Without a Content-Length (chunked), the limit holds while reading: 16 chunks of 64 KB and one byte.
		const chunked = await postChunked(server.origin, [...Array<number>(16).fill(64 * 1024), 1]);
		expect(chunked.status).toBe(413);
		expect(await chunked.json()).toEqual({ error: 'the body is over 1 MB' });
		expect(snapshot(server.db)).toEqual(before);
		expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
	});
});

const MB = 1024 * 1024;

/** POSTs `sizes` chunks of x's to the webhook as one chunked body, with no Content-Length. */
function postChunked(origin: string, sizes: number[]): Promise<Response> {
	const body = new ReadableStream({
		start(controller) {
			for (const size of sizes) controller.enqueue(new TextEncoder().encode('x'.repeat(size)));
			controller.close();
		}
	});
	return fetch(`${origin}/api/webhooks/stripe`, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', 'stripe-signature': signature('x') },
		duplex: 'half'
	} as RequestInit);
}

/** A signed event of exactly `size` bytes, padded in a field the store does not read. */
function eventOfSize(type: string, object: Record<string, unknown>, size: number): string {
	const bare = stripeEvent(type, { ...object, description: '' }).body;
	return stripeEvent(type, { ...object, description: 'x'.repeat(size - bare.length) }).body;
}

describe('the webhook takes events up to the body limit it states', () => {
	it('takes a 600 KB event and one of exactly 1 MB, and a completion that large fulfils', async () => {
		for (const size of [600 * 1024, MB]) {
			const body = eventOfSize('customer.created', { id: 'cus_big', object: 'customer' }, size);
			expect(Buffer.byteLength(body)).toBe(size);
			const res = await deliver(server.origin, body);
			expect(res.status, String(size)).toBe(200);
		}
		const session = paid({});
		const body = eventOfSize('checkout.session.completed', { ...session }, 900 * 1024);
		expect((await deliver(server.origin, body)).status).toBe(200);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(1);
	});

	it('follows BODY_SIZE_LIMIT when the operator sets it, and says so', async () => {
		const small = await startStripeStore({ BODY_SIZE_LIMIT: '256K' });
		try {
			const fits = eventOfSize('customer.created', { id: 'cus_1', object: 'customer' }, 256 * 1024);
			expect((await deliver(small.server.origin, fits)).status).toBe(200);
			const over = eventOfSize('customer.created', { id: 'cus_2', object: 'customer' }, 256 * 1024 + 1);
			const res = await deliver(small.server.origin, over);
			expect(res.status).toBe(413);
			expect(await res.json()).toEqual({ error: 'the body is over 256 KB' });
		} finally {
			await small.server.stop();
			await small.fake.stop();
		}
	});
});
