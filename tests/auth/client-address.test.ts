// Behind a proxy (adapter-node's ADDRESS_HEADER): a request that lacks the header is from an unknown
// address. It gets the same answers and the same limits as anyone, shared by every such request; never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { submit } from '../support/students';

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ ADDRESS_HEADER: 'X-Forwarded-For' });
});
afterAll(async () => {
	await server?.stop();
});

const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
	submit(new Browser(server.origin), path, fields, headers);

const buckets = (prefix: string): string[] =>
	(
		server.db
			.prepare('select distinct bucket from rate_limit_hits where bucket like ? order by bucket')
			.all(`${prefix}%`) as { bucket: string }[]
	).map((r) => r.bucket);

describe('a request without the address header', () => {
	it('POST /login answers as usual, and such requests share one limit of their own', async () => {
		for (let i = 0; i < 20; i++) {
			const res = await post('/login', { email: `nohead${i}@example.com` });
			expect(res.status, `request ${i + 1}`).toBe(200);
		}
		const refused = await post('/login', { email: 'nohead20@example.com' });
		expect(refused.status).toBe(429);
		expect(await refused.text()).toContain('মিনিট পরে');
		// A reader whose proxy names their address is not held back.
		const named = await post('/login', { email: 'named@example.com' }, { 'x-forwarded-for': '203.0.113.5' });
		expect(named.status).toBe(200);
		expect(buckets('login-ip:')).toEqual(['login-ip:203.0.113.5', 'login-ip:unknown']);
	});

	it('POST /subscribe and its confirmation answer as usual', async () => {
		const res = await post('/subscribe', { email: 'list.nohead@example.com', form: 'signup-page', page: '/' });
		expect(res.status).toBe(200);
		expect(buckets('subscribe-ip:')).toEqual(['subscribe-ip:unknown']);
		const row = server.db.prepare('select consent_ip from subscribers where email = ?').get('list.nohead@example.com');
		expect(row).toEqual({ consent_ip: 'unknown' });
		expect((await post('/subscribe/confirm?token=not-a-token', {})).status).toBe(400);
	});

	it('POST /checkout answers as usual', async () => {
		const res = await post('/checkout', {});
		expect(res.status).toBe(303);
		expect(buckets('checkout-ip:')).toEqual(['checkout-ip:unknown']);
	});
});
