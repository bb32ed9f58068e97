// What an anonymous visitor can make the store ask of Stripe: a bounded number of checkouts per address,
// and no Stripe call at all for a success page of a checkout this store did not start.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../support/fake-stripe';
import { Browser } from '../support/http';
import type { TestServer } from '../support/server';
import { count, HTML, startStripeStore } from './setup';

let server: TestServer;
let fake: FakeStripe;

// Behind a proxy, as in production: each visitor's address comes in X-Forwarded-For.
beforeAll(async () => ({ server, fake } = await startStripeStore({ ADDRESS_HEADER: 'X-Forwarded-For' })));
afterAll(async () => {
	await server?.stop();
	await fake?.stop();
});

const created = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions').length;
const lookups = () =>
	fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/checkout/sessions/')).length;
const from = (address: string) => ({ ...HTML, 'x-forwarded-for': address });

describe('POST /checkout', () => {
	it('lets a buyer retry, and stops a script that starts checkouts by the dozen with a Bengali 429', async () => {
		const buyer = new Browser(server.origin);
		for (let i = 0; i < 5; i++) expect((await buyer.post('/checkout', {}, from('198.51.100.1'))).status).toBe(303);

		const before = created();
		const answers = [];
		for (let i = 0; i < 40; i++)
			answers.push(await new Browser(server.origin).post('/checkout', {}, from('198.51.100.2')));
		const statuses = answers.map((r) => r.status);
		expect(statuses.filter((s) => s === 303).length).toBe(20);
		expect(statuses.slice(20)).toEqual(Array<number>(20).fill(429));
		expect(created() - before).toBe(20);

		const refused = answers.at(-1)!;
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(10 * 60);
		const html = await refused.text();
		expect(html).toContain('একটু পরে আবার চেষ্টা করুন');
		expect(html).toMatch(/[০-৯]+ মিনিট পরে/);
		expect(html).toContain('কোনো টাকা কাটা হয়নি');

		// Another address, and the buyer from before, are not held back by the script.
		expect((await buyer.post('/checkout', {}, from('198.51.100.1'))).status).toBe(303);
		expect((await new Browser(server.origin).post('/checkout', {}, from('198.51.100.3'))).status).toBe(303);
	});
});

describe('GET /checkout/success', () => {
	it('asks Stripe nothing about a session this store did not start', async () => {
		const before = lookups();
		for (let i = 0; i < 5; i++) {
			const res = await fetch(
				`${server.origin}/checkout/success?session_id=cs_test_${randomBytes(24).toString('hex')}`
			);
			expect(res.status).toBe(404);
		}
		// Even a real, paid session of the same Stripe account, if the store did not start it.
		const elsewhere = fake.addSession();
		fake.pay(elsewhere.id, { email: 'elsewhere@example.com' });
		expect((await fetch(`${server.origin}/checkout/success?session_id=${elsewhere.id}`)).status).toBe(404);
		expect(lookups()).toBe(before);
		expect(count(server.db, 'orders')).toBe(0);
	});

	it('asks Stripe about a checkout the store started, from any browser', async () => {
		const res = await new Browser(server.origin).post('/checkout', {}, from('198.51.100.9'));
		const session = [...fake.sessions.values()].find((s) => s.url === res.headers.get('location'))!;
		fake.pay(session.id, { email: 'buyer@example.com' });
		const before = lookups();
		const page = await fetch(`${server.origin}/checkout/success?session_id=${session.id}`);
		expect(page.status).toBe(200);
		expect(lookups()).toBe(before + 1);
		expect(count(server.db, 'orders', `checkout_session_id = '${session.id}'`)).toBe(1);
	});
});
