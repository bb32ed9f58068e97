// The one rate limiter (sign-in, signup, checkout): a sliding window per bucket kept in SQLite, all-or-nothing across
// limits, and a table that forgets what no window needs any more. In this process on a fresh database, and over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, db } from '../src/lib/server/db';
import { hitRateLimits } from '../src/lib/server/rate-limit';
import { Browser } from './support/http';
import { startServer, type TestServer } from './support/server';
import { submit } from './support/students';

const MINUTE = 60 * 1000;
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'store-rate-limit-'));
process.env.DATABASE_PATH = join(dir, 'store.db');

afterAll(() => {
	closeDatabase();
	rmSync(dir, { recursive: true, force: true });
});

const hits = (): { bucket: string; at: number }[] =>
	db().$client.prepare('select bucket, at from rate_limit_hits order by bucket, at').all() as {
		bucket: string;
		at: number;
	}[];

const addHit = (bucket: string, at: number): void => {
	db().$client.prepare('insert into rate_limit_hits (bucket, at) values (?, ?)').run(bucket, at);
};

describe('hitRateLimits', () => {
	beforeEach(() => {
		db().$client.exec('delete from rate_limit_hits');
	});

	const perAddress = (key: string) => ({ bucket: `login-ip:${key}`, limit: 3, windowMs: 10 * MINUTE });

	it('allows `limit` hits in a window, then says when the oldest of them leaves it; refusals are not counted', () => {
		for (let i = 0; i < 3; i++) expect(hitRateLimits([perAddress('a')], T0 + i * MINUTE)).toEqual({ allowed: true });
		expect(hitRateLimits([perAddress('a')], T0 + 3 * MINUTE)).toEqual({ allowed: false, retryAt: T0 + 10 * MINUTE });
		// Knocking again does not push the wait further out.
		expect(hitRateLimits([perAddress('a')], T0 + 9 * MINUTE)).toEqual({ allowed: false, retryAt: T0 + 10 * MINUTE });
		expect(hits()).toHaveLength(3);
	});

	it('is a sliding window: each hit that leaves it lets exactly one more in', () => {
		for (let i = 0; i < 3; i++) hitRateLimits([perAddress('a')], T0 + i * MINUTE);
		expect(hitRateLimits([perAddress('a')], T0 + 10 * MINUTE).allowed).toBe(true);
		expect(hitRateLimits([perAddress('a')], T0 + 10 * MINUTE + 1)).toEqual({
			allowed: false,
			retryAt: T0 + 11 * MINUTE
		});
	});

	it('counts each key apart', () => {
		for (let i = 0; i < 3; i++) hitRateLimits([perAddress('a')], T0);
		expect(hitRateLimits([perAddress('a')], T0).allowed).toBe(false);
		expect(hitRateLimits([perAddress('b')], T0).allowed).toBe(true);
	});

	it('checks several limits together: one refusal records no hit in any, and the latest opening is the answer', () => {
		const email = { bucket: 'login-email:ana@example.com', limit: 1, windowMs: 15 * MINUTE };
		expect(hitRateLimits([email, perAddress('a')], T0).allowed).toBe(true);
		const refused = hitRateLimits([email, perAddress('a')], T0 + MINUTE);
		expect(refused).toEqual({ allowed: false, retryAt: T0 + 15 * MINUTE });
		expect(hits()).toEqual([
			{ bucket: 'login-email:ana@example.com', at: T0 },
			{ bucket: 'login-ip:a', at: T0 }
		]);
	});

	it("forgets a kind's hits once they are out of its window, those of keys never seen again included", () => {
		addHit('subscribe-ip:gone', T0 - 61 * MINUTE);
		addHit('subscribe-ip:recent', T0 - 59 * MINUTE);
		// Other kinds keep theirs, a kind whose name starts the same way ("subscribe-ip-extra") included.
		addHit('login-ip:gone', T0 - 24 * 60 * MINUTE);
		addHit('subscribe-ip-extra:x', T0 - 24 * 60 * MINUTE);
		expect(hitRateLimits([{ bucket: 'subscribe-ip:new', limit: 20, windowMs: 60 * MINUTE }], T0).allowed).toBe(true);
		expect(hits().map((h) => h.bucket)).toEqual([
			'login-ip:gone',
			'subscribe-ip-extra:x',
			'subscribe-ip:new',
			'subscribe-ip:recent'
		]);
	});
});

describe('over HTTP, every limited form prunes its own kind', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		await server?.stop();
	});

	const buckets = (): string[] =>
		(server.db.prepare('select bucket from rate_limit_hits order by bucket').all() as { bucket: string }[]).map(
			(r) => r.bucket
		);

	it('sign-in, signup and checkout each forget the hits a day old of their kind, and count the new one', async () => {
		const dayAgo = Date.now() - 24 * 60 * MINUTE;
		for (const bucket of ['login-email:old@example.com', 'login-ip:198.51.100.7', 'subscribe-ip:198.51.100.7'])
			server.db.prepare('insert into rate_limit_hits (bucket, at) values (?, ?)').run(bucket, dayAgo);
		server.db.prepare('insert into rate_limit_hits (bucket, at) values (?, ?)').run('checkout-ip:198.51.100.7', dayAgo);

		expect((await submit(new Browser(server.origin), '/login', { email: 'ana@example.com' })).status).toBe(200);
		expect(buckets()).toEqual([
			'checkout-ip:198.51.100.7',
			'login-email:ana@example.com',
			'login-ip:127.0.0.1',
			'subscribe-ip:198.51.100.7'
		]);
		const signup = { email: 'list@example.com', form: 'signup-page', page: '/' };
		expect((await submit(new Browser(server.origin), '/subscribe', signup)).status).toBe(200);
		expect(buckets()).toEqual([
			'checkout-ip:198.51.100.7',
			'login-email:ana@example.com',
			'login-ip:127.0.0.1',
			'subscribe-ip:127.0.0.1'
		]);
		expect((await submit(new Browser(server.origin), '/checkout', {})).status).toBe(303);
		expect(buckets()).toEqual([
			'checkout-ip:127.0.0.1',
			'login-email:ana@example.com',
			'login-ip:127.0.0.1',
			'subscribe-ip:127.0.0.1'
		]);
	});
});
