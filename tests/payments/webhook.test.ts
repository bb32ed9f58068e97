import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutSession, FakeStripe } from '../support/fake-stripe';
import type { TestServer } from '../support/server';
import { charge, deliver, dispute, signature, stripeEvent } from '../support/stripe-events';
import { signIn } from '../support/students';
import { count, snapshot, startStripeStore, theCourse } from './setup';

let server: TestServer;
let fake: FakeStripe;
const ADMIN = 'seller@example.com';

beforeAll(async () => ({ server, fake } = await startStripeStore({ ADMIN_EMAILS: ADMIN })));
afterAll(async () => {
	await server?.stop();
	await fake?.stop();
});

let buyers = 0;
/** A session the store created and the buyer paid, as Stripe keeps it. */
function paidSession(email = `buyer${++buyers}@example.com`): CheckoutSession {
	return fake.paidCourseSession(theCourse, { email });
}

async function send(type: string, object: unknown): Promise<{ status: number; note: string; id: string }> {
	const event = stripeEvent(type, object);
	const res = await deliver(server.origin, event.body);
	const body = (await res.json()) as { note?: string };
	return { status: res.status, note: body.note ?? '', id: event.id };
}

function enrolmentOf(session: CheckoutSession): { status: string; revoked_reason: string | null } | undefined {
	return server.db
		.prepare(
			'select e.status, e.revoked_reason from enrolments e join orders o on o.user_id = e.user_id where o.checkout_session_id = ?'
		)
		.get(session.id) as { status: string; revoked_reason: string | null } | undefined;
}

describe('signatures', () => {
	it('refuses missing, forged and stale signatures with 400 and no effect', async () => {
		const session = paidSession();
		const event = stripeEvent('checkout.session.completed', session);
		const before = snapshot(server.db);
		const now = Math.floor(Date.now() / 1000);
		for (const header of [
			null,
			'',
			signature(event.body, 'whsec_forged'),
			signature(event.body, undefined, now - 600),
			't=1,v1=abc'
		]) {
			const res = await deliver(server.origin, event.body, header);
			expect(res.status, String(header)).toBe(400);
		}
		// A body changed after signing.
		const tampered = event.body.replace(session.id, paidSession().id);
		expect((await deliver(server.origin, tampered, signature(event.body))).status).toBe(400);
		expect(snapshot(server.db)).toEqual(before);
	});

	it('accepts unknown event types with 200 and ignores them', async () => {
		const before = snapshot(server.db, ['stripe_events']);
		const { status } = await send('customer.created', { id: 'cus_1', object: 'customer' });
		expect(status).toBe(200);
		expect(snapshot(server.db, ['stripe_events'])).toEqual(before);
	});
});

describe('fulfilment', () => {
	it('fulfils a completed checkout once however often the event arrives', async () => {
		const session = paidSession('  Mixed.Case@Example.com ');
		const event = stripeEvent('checkout.session.completed', session);
		const answers = await Promise.all([1, 2, 3].map(() => deliver(server.origin, event.body)));
		expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
		await deliver(server.origin, event.body);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(1);
		expect(count(server.db, 'users', `email = 'mixed.case@example.com'`)).toBe(1);
		expect(
			count(server.db, 'outbox', `idempotency_key = 'welcome:${session.id}' and to_email = 'mixed.case@example.com'`)
		).toBe(1);
		expect(count(server.db, 'stripe_events', `id = '${event.id}'`)).toBe(1);
		expect(enrolmentOf(session)).toEqual({ status: 'active', revoked_reason: null });
	});

	it('gives one student two orders when the same address buys twice', async () => {
		const first = paidSession('twice@example.com');
		const second = paidSession(' TWICE@example.com');
		await send('checkout.session.completed', first);
		await send('checkout.session.completed', second);
		expect(count(server.db, 'users', `email = 'twice@example.com'`)).toBe(1);
		expect(count(server.db, 'orders', `buyer_email = 'twice@example.com'`)).toBe(2);
		expect(count(server.db, 'enrolments e join users u on u.id = e.user_id', `u.email = 'twice@example.com'`)).toBe(1);
	});

	it('waits for a delayed payment, then fulfils on async_payment_succeeded', async () => {
		const session = paidSession();
		session.payment_status = 'unpaid';
		expect((await send('checkout.session.completed', session)).note).toBe('unpaid');
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(0);
		session.payment_status = 'paid';
		expect((await send('checkout.session.async_payment_succeeded', session)).note).toBe('fulfilled');
		expect(enrolmentOf(session)?.status).toBe('active');
	});

	it('records a failed delayed payment and grants nothing', async () => {
		const session = paidSession();
		session.payment_status = 'unpaid';
		expect((await send('checkout.session.async_payment_failed', session)).status).toBe(200);
		expect(
			count(server.db, 'payment_issues', `checkout_session_id = '${session.id}' and kind = 'async_payment_failed'`)
		).toBe(1);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(0);
	});

	it("keeps every line break out of the buyer's name", async () => {
		const session = paidSession();
		session.customer_details!.name = ' রিনা\r\nBcc: x@example.com\u2028 দাস ';
		expect((await send('checkout.session.completed', session)).status).toBe(200);
		const order = server.db
			.prepare('select buyer_name, user_id from orders where checkout_session_id = ?')
			.get(session.id) as {
			buyer_name: string;
			user_id: number;
		};
		expect(order.buyer_name).toBe('রিনা Bcc: x@example.com দাস');
		expect(server.db.prepare('select name from users where id = ?').get(order.user_id)).toEqual({
			name: 'রিনা Bcc: x@example.com দাস'
		});
	});

	it('answers 500 while Stripe is unreachable, so that Stripe retries; the retry fulfils', async () => {
		const session = paidSession();
		const event = stripeEvent('checkout.session.completed', session);
		fake.fail('error');
		expect((await deliver(server.origin, event.body)).status).toBe(500);
		expect(count(server.db, 'stripe_events', `id = '${event.id}'`)).toBe(0);
		fake.failure = null;
		expect((await deliver(server.origin, event.body)).status).toBe(200);
		expect(enrolmentOf(session)?.status).toBe('active');
	});
});

describe('refunds and disputes', () => {
	it('keeps access after a partial refund and ends it after a full one', async () => {
		const session = paidSession();
		await send('checkout.session.completed', session);
		await send('charge.refunded', charge(session.payment_intent!, theCourse.price, 10_000));
		expect(enrolmentOf(session)?.status).toBe('active');
		await send('charge.refunded', charge(session.payment_intent!, theCourse.price, theCourse.price));
		expect(enrolmentOf(session)).toEqual({ status: 'revoked', revoked_reason: 'refunded' });
	});

	it('ends access on a dispute and restores it when the dispute is won, even if events come late', async () => {
		const session = paidSession();
		await send('checkout.session.completed', session);
		const opened = dispute(session.payment_intent!, 'needs_response');
		await send('charge.dispute.created', opened);
		expect(enrolmentOf(session)).toEqual({ status: 'revoked', revoked_reason: 'disputed' });
		await send('charge.dispute.closed', { ...opened, status: 'won' });
		expect(enrolmentOf(session)).toEqual({ status: 'active', revoked_reason: null });
		// A redelivered "created" (a new event id) after the win does not reopen the dispute.
		await send('charge.dispute.created', opened);
		expect(enrolmentOf(session)?.status).toBe('active');
	});

	it('keeps access ended when the dispute is lost', async () => {
		const session = paidSession();
		await send('checkout.session.completed', session);
		await send('charge.dispute.closed', dispute(session.payment_intent!, 'lost'));
		expect(enrolmentOf(session)).toEqual({ status: 'revoked', revoked_reason: 'disputed' });
	});

	it('ends with no access when the refund arrives before the completion', async () => {
		const session = paidSession();
		await send('charge.refunded', charge(session.payment_intent!, theCourse.price, theCourse.price));
		expect(count(server.db, 'payment_states', `payment_intent_id = '${session.payment_intent}' and refunded = 1`)).toBe(
			1
		);
		await send('checkout.session.completed', session);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(1);
		expect(enrolmentOf(session)).toEqual({ status: 'revoked', revoked_reason: 'refunded' });
	});

	it('ends with no access when the dispute arrives before the completion', async () => {
		const session = paidSession();
		await send('charge.dispute.created', dispute(session.payment_intent!, 'needs_response'));
		await send('checkout.session.completed', session);
		expect(enrolmentOf(session)).toEqual({ status: 'revoked', revoked_reason: 'disputed' });
	});

	it('does a repeated event only once', async () => {
		const session = paidSession();
		await send('checkout.session.completed', session);
		const opened = dispute(session.payment_intent!, 'needs_response');
		const created = stripeEvent('charge.dispute.created', opened);
		await deliver(server.origin, created.body);
		await send('charge.dispute.closed', { ...opened, status: 'won' });
		const again = await deliver(server.origin, created.body);
		expect(((await again.json()) as { note: string }).note).toBe('already handled');
		expect(enrolmentOf(session)?.status).toBe('active');
	});
});

describe('a paid checkout whose session cannot be read is never dropped', () => {
	const issues = (id: string) =>
		server.db.prepare('select kind, detail from payment_issues where checkout_session_id = ?').all(id) as {
			kind: string;
			detail: string;
		}[];

	it('a session Stripe answers 404 for: 500, not handled, shown to the seller; once Stripe knows it, fulfilled once', async () => {
		const session = paidSession();
		// The API key belongs to another account or mode than the webhook: Stripe says the session does not exist.
		fake.sessions.delete(session.id);
		const event = stripeEvent('checkout.session.completed', session);
		for (let attempt = 0; attempt < 2; attempt++) {
			const res = await deliver(server.origin, event.body);
			expect(res.status).toBe(500);
			expect(((await res.json()) as { received: boolean }).received).toBe(false);
		}
		expect(count(server.db, 'stripe_events', `id = '${event.id}'`)).toBe(0);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(0);
		expect(issues(session.id).map((i) => i.kind)).toEqual(['session_not_found']);
		expect(issues(session.id)[0].detail).toContain('STRIPE_SECRET_KEY');
		expect(server.output()).toContain(session.id);

		const admin = await signIn(server, ADMIN);
		const dashboard = await (await admin.get('/admin')).text();
		expect(dashboard).toContain(session.id);
		expect(dashboard).toContain('STRIPE_WEBHOOK_SECRET');

		// The keys are put right; Stripe sends the same delivery again, twice at once.
		fake.sessions.set(session.id, session);
		const retries = await Promise.all([1, 2].map(() => deliver(server.origin, event.body)));
		expect(retries.map((r) => r.status)).toEqual([200, 200]);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(1);
		expect(count(server.db, 'outbox', `idempotency_key = 'welcome:${session.id}'`)).toBe(1);
		expect(count(server.db, 'stripe_events', `id = '${event.id}'`)).toBe(1);
		expect(enrolmentOf(session)?.status).toBe('active');
		// The sale is in: the warning is gone from the dashboard.
		expect(issues(session.id)).toEqual([]);
		expect(await (await admin.get('/admin')).text()).not.toContain(session.id);
	});

	it('a session Stripe cannot tell about (an error, or an answer that is not a session): the same', async () => {
		const failing = paidSession();
		const event = stripeEvent('checkout.session.completed', failing);
		fake.fail('error');
		try {
			expect((await deliver(server.origin, event.body)).status).toBe(500);
		} finally {
			fake.failure = null;
		}
		expect(issues(failing.id).map((i) => i.kind)).toEqual(['session_unreadable']);
		expect(issues(failing.id)[0].detail).toContain('STRIPE_SECRET_KEY');
		expect(count(server.db, 'stripe_events', `id = '${event.id}'`)).toBe(0);

		const garbled = paidSession();
		const garbledEvent = stripeEvent('checkout.session.completed', garbled);
		const paymentStatus = garbled.payment_status;
		Object.assign(garbled, { payment_status: undefined });
		expect((await deliver(server.origin, garbledEvent.body)).status).toBe(500);
		expect(issues(garbled.id).map((i) => i.kind)).toEqual(['session_unreadable']);
		expect(count(server.db, 'orders', `checkout_session_id = '${garbled.id}'`)).toBe(0);

		garbled.payment_status = paymentStatus;
		for (const [s, e] of [
			[failing, event],
			[garbled, garbledEvent]
		] as const) {
			expect((await deliver(server.origin, e.body)).status).toBe(200);
			expect(count(server.db, 'orders', `checkout_session_id = '${s.id}'`)).toBe(1);
			expect(issues(s.id)).toEqual([]);
		}
	});
});
