import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { deliver, signature, stripeEvent } from '../support/stripe-events';
import { count, HTML, snapshot } from './setup';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

async function startDemoCheckout(browser: Browser): Promise<string> {
	const res = await browser.post('/checkout', {}, HTML);
	expect(res.status).toBe(303);
	const location = res.headers.get('location')!;
	expect(location).toMatch(/^\/checkout\/demo\/cs_demo_[0-9a-f]+$/);
	return location;
}

describe('demo payments (no STRIPE_SECRET_KEY)', () => {
	it('sends the buyer to a demo checkout that says it is a demo and asks for an email', async () => {
		const browser = new Browser(server.origin);
		const page = await startDemoCheckout(browser);
		const html = await (await browser.get(page)).text();
		expect(html).toContain('DEMO');
		expect(html).toContain('কোনো আসল টাকা কাটা হবে না');
		expect(html).toContain('ডেমো মোড');
		expect(html).toMatch(/৳[০-৯,]+/);
		expect(html).toContain('name="email"');
	});

	it('refills the form and writes nothing when the email is not an email', async () => {
		const browser = new Browser(server.origin);
		const page = await startDemoCheckout(browser);
		const before = snapshot(server.db);
		const res = await browser.post(page, { email: 'not-an-email', name: 'নাম' }, HTML);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('ইমেইল ঠিকানাটি ঠিক মনে হচ্ছে না');
		expect(html).toContain('value="not-an-email"');
		expect(snapshot(server.db)).toEqual(before);
	});

	it('pays through the signed webhook and the same fulfilment, then signs this browser in', async () => {
		const browser = new Browser(server.origin);
		const page = await startDemoCheckout(browser);
		const id = page.split('/').pop()!;
		const paid = await browser.post(page, { email: ' Demo.Buyer@Example.com ', name: 'ডেমো ক্রেতা' }, HTML);
		expect(paid.status).toBe(303);
		expect(paid.headers.get('location')).toBe(`/checkout/success?session_id=${id}`);

		// The event went through the webhook handler: it is in the event log, and the purchase is complete.
		expect(
			count(server.db, 'stripe_events', `type = 'checkout.session.completed' and id like 'evt_demo_%'`)
		).toBeGreaterThan(0);
		const order = server.db.prepare('select * from orders where checkout_session_id = ?').get(id) as Record<
			string,
			unknown
		>;
		expect(order).toMatchObject({ buyer_email: 'demo.buyer@example.com', buyer_name: 'ডেমো ক্রেতা', livemode: 0 });
		expect(count(server.db, 'enrolments', `order_id = ${order.id as number} and status = 'active'`)).toBe(1);
		expect(count(server.db, 'outbox', `idempotency_key = 'welcome:${id}'`)).toBe(1);

		const success = await browser.get(paid.headers.get('location')!);
		expect(success.status).toBe(200);
		expect(await success.text()).toContain('আপনি এখন সাইন ইন করা আছেন');
		expect(browser.cookies.has('session')).toBe(true);

		// Paying twice, or opening the finished checkout again, makes no second order.
		expect((await browser.post(page, { email: 'demo.buyer@example.com', name: '' }, HTML)).status).toBe(303);
		expect((await browser.get(page)).status).toBe(303);
		expect(count(server.db, 'orders', `buyer_email = 'demo.buyer@example.com'`)).toBe(1);
	});

	it('signs demo events with a key of its own: deliveries signed otherwise get 400', async () => {
		const secret = server.db.prepare(`select value from settings where key = 'demo_stripe_webhook_secret'`).get() as {
			value: string;
		};
		expect(secret.value).toMatch(/^whsec_/);
		const event = stripeEvent('customer.created', { id: 'cus_demo', object: 'customer' });
		expect((await deliver(server.origin, event.body, signature(event.body, 'whsec_test'))).status).toBe(400);
		expect((await deliver(server.origin, event.body, signature(event.body, secret.value))).status).toBe(200);
	});

	it("keeps the buyer's name on one line", async () => {
		const browser = new Browser(server.origin);
		const page = await startDemoCheckout(browser);
		const id = page.split('/').pop()!;
		const name = ' রিনা\r\nBcc: x@example.com\u2028\tদাস ';
		expect((await browser.post(page, { email: 'rina.demo@example.com', name }, HTML)).status).toBe(303);
		const order = server.db.prepare('select buyer_name, user_id from orders where checkout_session_id = ?').get(id) as {
			buyer_name: string;
			user_id: number;
		};
		expect(order.buyer_name).toBe('রিনা Bcc: x@example.com দাস');
		expect(server.db.prepare('select name from users where id = ?').get(order.user_id)).toEqual({
			name: 'রিনা Bcc: x@example.com দাস'
		});
		expect(server.db.prepare('select name from demo_checkout_sessions where id = ?').get(id)).toEqual({
			name: 'রিনা Bcc: x@example.com দাস'
		});
	});

	it('forgets unpaid demo checkouts and checkout bindings a day old, and keeps paid ones', async () => {
		const dayAgo = Date.now() - 24 * 60 * 60 * 1000 - 60_000;
		const demo = server.db.prepare(
			`insert into demo_checkout_sessions (id, course_id, amount, currency, status, created_at) values (?, 'c', 1, 'BDT', ?, ?)`
		);
		demo.run('cs_demo_old_open', 'open', dayAgo);
		demo.run('cs_demo_old_paid', 'complete', dayAgo);
		demo.run('cs_demo_new_open', 'open', Date.now());
		const binding = server.db.prepare(
			`insert into checkout_bindings (checkout_session_id, browser_hash, created_at) values (?, 'x', ?)`
		);
		binding.run('cs_demo_old_open', dayAgo);
		binding.run('cs_demo_new_open', Date.now());

		await startDemoCheckout(new Browser(server.origin));
		const left = (table: string, column: string): string[] =>
			(
				server.db
					.prepare(
						`select ${column} as id from ${table} where ${column} like 'cs_demo_old_%' or ${column} like 'cs_demo_new_%' order by 1`
					)
					.all() as { id: string }[]
			).map((r) => r.id);
		expect(left('demo_checkout_sessions', 'id')).toEqual(['cs_demo_new_open', 'cs_demo_old_paid']);
		expect(left('checkout_bindings', 'checkout_session_id')).toEqual(['cs_demo_new_open']);
	});

	it('answers 404 for a demo checkout that does not exist', async () => {
		expect((await fetch(`${server.origin}/checkout/demo/cs_demo_missing`)).status).toBe(404);
		const res = await new Browser(server.origin).post(
			'/checkout/demo/cs_demo_missing',
			{ email: 'a@example.com' },
			HTML
		);
		expect(res.status).toBe(404);
	});
});
