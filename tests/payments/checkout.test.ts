import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../support/fake-stripe';
import { Browser } from '../support/http';
import type { TestServer } from '../support/server';
import { deliver, stripeEvent } from '../support/stripe-events';
import { count, HTML, startStripeStore, theCourse } from './setup';

let server: TestServer;
let fake: FakeStripe;

beforeAll(async () => ({ server, fake } = await startStripeStore()));
afterAll(async () => {
	await server?.stop();
	await fake?.stop();
});
beforeEach(() => {
	fake.failure = null;
});

/** Starts a checkout in browser and returns the new session's id. */
async function startCheckout(browser: Browser): Promise<string> {
	const res = await browser.post('/checkout', {}, HTML);
	expect(res.status).toBe(303);
	const location = res.headers.get('location')!;
	const session = [...fake.sessions.values()].find((s) => s.url === location);
	expect(session, `no fake session behind ${location}`).toBeDefined();
	return session!.id;
}

const successPath = (id: string) => `/checkout/success?session_id=${id}`;

describe('POST /checkout', () => {
	it('creates a payment-mode session at the catalogue price and sends the buyer to it', async () => {
		const browser = new Browser(server.origin);
		// Whatever the form carries, the price comes from the course config.
		const res = await browser.post('/checkout', { price: '1', unit_amount: '1', currency: 'usd' }, HTML);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);

		const sent = fake.requests.findLast((r) => r.method === 'POST')!;
		expect(sent.path).toBe('/v1/checkout/sessions');
		expect(sent.authorization).toBe('Bearer sk_test_x');
		expect(sent.params).toMatchObject({
			mode: 'payment',
			allow_promotion_codes: 'true',
			metadata: { course_id: theCourse.id },
			success_url: `${server.origin}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
			cancel_url: `${server.origin}/?checkout=cancelled`,
			line_items: {
				'0': {
					quantity: '1',
					price_data: { currency: theCourse.currency.toLowerCase(), unit_amount: String(theCourse.price) }
				}
			}
		});
	});

	it('binds the checkout to this browser with an HttpOnly cookie, keeping only its hash', async () => {
		const res = await new Browser(server.origin).post('/checkout', {}, HTML);
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('checkout_browser='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\/checkout/i);
		const value = cookie.split(';')[0].split('=')[1];
		const id = [...fake.sessions.values()].find((s) => s.url === res.headers.get('location'))!.id;
		const row = server.db
			.prepare('select browser_hash from checkout_bindings where checkout_session_id = ?')
			.get(id) as {
			browser_hash: string;
		};
		expect(row.browser_hash).toBe(createHash('sha256').update(value).digest('hex'));
		expect(JSON.stringify(server.db.prepare('select * from checkout_bindings').all())).not.toContain(value);
	});

	it('shows a calm message when the buyer cancels on Stripe', async () => {
		const html = await (await fetch(`${server.origin}/?checkout=cancelled`)).text();
		expect(html).toContain('পেমেন্ট বাতিল হয়েছে');
	});

	it('answers a Bengali "try again" page, not a 500, when Stripe fails, and logs it', async () => {
		fake.fail('error');
		const res = await new Browser(server.origin).post('/checkout', {}, HTML);
		expect(res.status).toBe(503);
		const html = await res.text();
		expect(html).toContain('আবার চেষ্টা করুন');
		expect(html).toContain('কোনো টাকা কাটা হয়নি');
		expect(html).not.toMatch(/at .*\.js:\d+/);
		expect(res.headers.getSetCookie().some((c) => c.startsWith('checkout_browser='))).toBe(false);
		expect(server.output()).toContain('checkout: could not start a checkout session');
	});

	it('answers the same page when Stripe does not answer at all', { timeout: 60_000 }, async () => {
		fake.fail('timeout');
		const started = Date.now();
		const res = await new Browser(server.origin).post('/checkout', {}, HTML);
		expect(res.status).toBe(503);
		expect(await res.text()).toContain('আবার চেষ্টা করুন');
		expect(Date.now() - started).toBeLessThan(30_000);
	});

	it('has no demo checkout when a Stripe key is set', async () => {
		const id = await startCheckout(new Browser(server.origin));
		expect((await fetch(`${server.origin}/checkout/demo/${id}`)).status).toBe(404);
		const pay = await new Browser(server.origin).post(`/checkout/demo/${id}`, { email: 'a@example.com' }, HTML);
		expect(pay.status).toBe(404);
		expect(fake.get(id).payment_status).toBe('unpaid');
	});
});

describe('GET /checkout/success', () => {
	it('fulfils before the webhook and signs in only the browser that started the checkout', async () => {
		const buyer = new Browser(server.origin);
		const id = await startCheckout(buyer);
		const { payment_intent } = fake.pay(id, { email: '  Rina@Example.COM ', name: 'রিনা' });

		const stranger = new Browser(server.origin);
		const seen = await stranger.get(successPath(id));
		expect(seen.status).toBe(200);
		const strangerHtml = await seen.text();
		expect(strangerHtml).toContain('সাইন-ইন লিংক পাঠানো হচ্ছে');
		expect(strangerHtml).not.toContain('rina@example.com');
		expect(stranger.cookies.has('session')).toBe(false);
		expect(count(server.db, 'orders', `checkout_session_id = '${id}'`)).toBe(1);

		const res = await buyer.get(successPath(id));
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('আপনি এখন সাইন ইন করা আছেন');
		const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(sessionCookie).toMatch(/HttpOnly/i);
		expect(sessionCookie).toMatch(/SameSite=Lax/i);
		expect(buyer.cookies.has('checkout_browser')).toBe(false);
		const user = server.db.prepare('select id, email, name from users where email = ?').get('rina@example.com') as {
			id: number;
			name: string;
		};
		expect(user.name).toBe('রিনা');
		expect(count(server.db, 'sessions', `user_id = ${user.id}`)).toBe(1);

		// The webhook arriving afterwards changes nothing.
		const event = stripeEvent('checkout.session.completed', fake.get(id));
		expect((await deliver(server.origin, event.body)).status).toBe(200);
		expect(count(server.db, 'orders', `checkout_session_id = '${id}'`)).toBe(1);
		expect(count(server.db, 'outbox', `idempotency_key = 'welcome:${id}'`)).toBe(1);
		const order = server.db.prepare('select * from orders where checkout_session_id = ?').get(id) as Record<
			string,
			unknown
		>;
		expect(order).toMatchObject({
			payment_intent_id: payment_intent,
			amount: theCourse.price,
			currency: theCourse.currency,
			buyer_email: 'rina@example.com'
		});
	});

	it('records the promotion code and the discounted amount', async () => {
		const id = await startCheckout(new Browser(server.origin));
		fake.pay(id, { email: 'eid@example.com', discount: 50_000, promotionCode: 'EID50' });
		expect((await fetch(`${server.origin}${successPath(id)}`)).status).toBe(200);
		const order = server.db.prepare('select amount, promotion_code from orders where checkout_session_id = ?').get(id);
		expect(order).toEqual({ amount: theCourse.price - 50_000, promotion_code: 'EID50' });
	});

	it('says "not yet" for an unpaid session and grants nothing', async () => {
		const buyer = new Browser(server.origin);
		const id = await startCheckout(buyer);
		const res = await buyer.get(successPath(id));
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('পেমেন্টটি এখনো সম্পন্ন হয়নি');
		expect(count(server.db, 'orders', `checkout_session_id = '${id}'`)).toBe(0);
		expect(buyer.cookies.has('session')).toBe(false);
	});

	it('answers bad and unknown ids with a page, never a 500', async () => {
		for (const query of ['', '?session_id=', '?session_id=%27%3B--', `?session_id=cs_${'x'.repeat(400)}`]) {
			const res = await fetch(`${server.origin}/checkout/success${query}`);
			expect(res.status, query).toBe(400);
			expect(await res.text()).toContain('লিংকটি অসম্পূর্ণ');
		}
		expect((await fetch(`${server.origin}${successPath('cs_test_unknown')}`)).status).toBe(404);
	});

	it('asks to come back later when Stripe cannot be reached', async () => {
		const id = await startCheckout(new Browser(server.origin));
		fake.pay(id, { email: 'later@example.com' });
		fake.fail('error');
		const res = await fetch(`${server.origin}${successPath(id)}`);
		expect(res.status).toBe(503);
		expect(await res.text()).toContain('একটু পরে পাতাটি আবার খুলুন');
		expect(count(server.db, 'orders', `checkout_session_id = '${id}'`)).toBe(0);
	});
});
