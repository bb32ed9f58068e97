import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { DAY, mintToken, sha256, signIn, submit } from '../support/students';

let server: TestServer;
const { free, paidAtOnce } = fixtureCourse();

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

beforeEach(() => {
	server.db.exec('delete from sessions; delete from login_tokens; delete from enrolments; delete from users;');
});

function sessionsOf(email: string): { id_hash: string; expires_at: number }[] {
	return server.db
		.prepare('select s.id_hash, s.expires_at from sessions s join users u on u.id = s.user_id where u.email = ?')
		.all(email) as { id_hash: string; expires_at: number }[];
}

/** Whether the server takes the browser for signed in: /login sends a signed-in reader on, and asks anyone else. */
async function signedIn(browser: Browser): Promise<boolean> {
	const res = await browser.get('/login');
	return res.status === 303;
}

describe('the sign-in link', () => {
	it('opening it (GET) shows a button and spends nothing; its POST signs in and goes to /course', async () => {
		const token = mintToken(server.db, 'ana@example.com');
		const browser = new Browser(server.origin);
		for (let i = 0; i < 3; i++) {
			const page = await browser.get(`/login/verify?token=${token}`);
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).toContain('<form method="POST"');
			expect(html).toContain(token);
		}
		expect(browser.cookies.has('session')).toBe(false);
		expect(server.db.prepare('select count(*) n from users').get()).toEqual({ n: 0 });

		const res = await submit(browser, `/login/verify?token=${token}`, { token });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/course');
		expect(sessionsOf('ana@example.com')).toHaveLength(1);
		expect(server.db.prepare('select count(*) n from login_tokens').get()).toEqual({ n: 0 });
	});

	it('works once: a second POST of the same token gets a page offering a new link, and no session', async () => {
		const token = mintToken(server.db, 'ana@example.com');
		expect((await submit(new Browser(server.origin), '/login/verify', { token })).status).toBe(303);

		const again = new Browser(server.origin);
		const res = await submit(again, '/login/verify', { token });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('লিংকটি আর কাজ করছে না');
		expect(html).toContain('action="/login"');
		expect(again.cookies.has('session')).toBe(false);
		expect(sessionsOf('ana@example.com')).toHaveLength(1);

		const opened = await (await again.get(`/login/verify?token=${token}`)).text();
		expect(opened).toContain('লিংকটি আর কাজ করছে না');
	});

	it('expires after its time', async () => {
		const token = mintToken(server.db, 'ana@example.com', { expiresAt: Date.now() - 1000 });
		expect(await (await new Browser(server.origin).get(`/login/verify?token=${token}`)).text()).toContain(
			'লিংকটি আর কাজ করছে না'
		);
		const res = await submit(new Browser(server.origin), '/login/verify', { token });
		expect(res.status).toBe(400);
		expect(sessionsOf('ana@example.com')).toHaveLength(0);
	});

	it('refuses a tampered token, and leaves the real one usable', async () => {
		const token = mintToken(server.db, 'ana@example.com');
		const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
		for (const bad of [flipped, token.slice(0, -1), `${token}x`, '', 'x'.repeat(5000), "' or 1=1 --"]) {
			const res = await submit(new Browser(server.origin), '/login/verify', { token: bad });
			expect(res.status, bad.slice(0, 20)).toBe(400);
		}
		expect(server.db.prepare('select count(*) n from sessions').get()).toEqual({ n: 0 });
		expect((await submit(new Browser(server.origin), '/login/verify', { token })).status).toBe(303);
	});

	it("signs in the token's own address, whatever else the form says, and ends the browser's previous session", async () => {
		const bob = await signIn(server, 'bob@example.com');
		const bobCookie = bob.cookies.get('session')!;
		const token = mintToken(server.db, 'carol@example.com');

		const res = await submit(bob, '/login/verify', { token, email: 'bob@example.com' });
		expect(res.status).toBe(303);
		expect(bob.cookies.get('session')).not.toBe(bobCookie);
		expect(sessionsOf('carol@example.com')).toHaveLength(1);
		expect(sessionsOf('bob@example.com')).toHaveLength(0);

		const stale = new Browser(server.origin);
		stale.cookies.set('session', bobCookie);
		expect(await signedIn(stale)).toBe(false);
	});

	it('spent by 100 concurrent POSTs makes exactly one session', async () => {
		const token = mintToken(server.db, 'race@example.com');
		const browsers = Array.from({ length: 100 }, () => new Browser(server.origin));
		const answers = await Promise.all(browsers.map((b) => submit(b, '/login/verify', { token })));
		const statuses = answers.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 303)).toHaveLength(1);
		expect(statuses.filter((s) => s === 400)).toHaveLength(99);
		expect(browsers.filter((b) => b.cookies.has('session'))).toHaveLength(1);
		expect(sessionsOf('race@example.com')).toHaveLength(1);
		expect(server.db.prepare('select count(*) n from users where email = ?').get('race@example.com')).toEqual({ n: 1 });
	});

	it('returns to next only when it is a path on this site', async () => {
		const cases: [string, string][] = [
			[`/lessons/${paidAtOnce.slug}`, `/lessons/${paidAtOnce.slug}`],
			[`/lessons/${paidAtOnce.slug}?x=1#top`, `/lessons/${paidAtOnce.slug}?x=1#top`],
			['//evil.example', '/course'],
			['/\\evil.example', '/course'],
			['\\\\evil.example', '/course'],
			['https://evil.example/', '/course'],
			['http:evil.example', '/course'],
			['/%2F%2Fevil.example', '/course'],
			['/%5Cevil.example', '/course'],
			['%2F%2Fevil.example', '/course'],
			['/\t/evil.example', '/course'],
			['javascript:alert(1)', '/course'],
			['/./\\/evil.example', '/course']
		];
		for (const [next, location] of cases) {
			const token = mintToken(server.db, 'ana@example.com', { next });
			const res = await submit(new Browser(server.origin), '/login/verify', { token });
			expect(res.headers.get('location'), next).toBe(location);
		}
	});
});

describe('the session cookie', () => {
	it('is HttpOnly, SameSite=Lax, for the whole site, 30 days, not Secure on an http origin, and stored only hashed', async () => {
		const browser = new Browser(server.origin);
		const res = await submit(browser, '/login/verify', { token: mintToken(server.db, 'ana@example.com') });
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\//i);
		const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)![1]);
		expect(maxAge).toBeGreaterThan(30 * 86400 - 60);
		expect(maxAge).toBeLessThanOrEqual(30 * 86400);
		expect(cookie).not.toMatch(/; Secure/i);

		const value = browser.cookies.get('session')!;
		expect(value.length).toBeGreaterThanOrEqual(43);
		const [row] = sessionsOf('ana@example.com');
		expect(row.id_hash).toBe(sha256(value));
		expect(server.db.prepare('select count(*) n from sessions where id_hash = ?').get(value)).toEqual({ n: 0 });
		expect(row.expires_at).toBeGreaterThan(Date.now() + 29 * DAY);
	});

	it('is Secure when ORIGIN is https', async () => {
		const origin = 'https://course.example.com';
		const secure = await startServer({ ORIGIN: origin, DEMO_MODE: '1' });
		try {
			const res = await submit(
				new Browser(secure.origin),
				'/login/verify',
				{ token: mintToken(secure.db, 'ana@example.com') },
				{ origin }
			);
			expect(res.status).toBe(303);
			expect(res.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/; Secure/i);
		} finally {
			await secure.stop();
		}
	});

	it('slides: renewed when less than half of its 30 days remain, untouched otherwise', async () => {
		const browser = await signIn(server, 'ana@example.com');
		const setExpiry = (days: number) =>
			server.db.prepare('update sessions set expires_at = ?').run(Date.now() + days * DAY);

		setExpiry(20);
		let res = await browser.get('/');
		expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
		expect(sessionsOf('ana@example.com')[0].expires_at).toBeLessThan(Date.now() + 21 * DAY);

		setExpiry(10);
		res = await browser.get('/');
		expect(res.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Max-Age=259\d{4}/);
		expect(sessionsOf('ana@example.com')[0].expires_at).toBeGreaterThan(Date.now() + 29 * DAY);
	});

	it('no longer works once expired, and the expired row is removed', async () => {
		const browser = await signIn(server, 'ana@example.com');
		server.db.prepare('update sessions set expires_at = ?').run(Date.now() - 1000);
		expect(await signedIn(browser)).toBe(false);
		expect(sessionsOf('ana@example.com')).toHaveLength(0);
	});

	it('makes answers private: a shared cache must not keep what a signed-in reader sees', async () => {
		const browser = await signIn(server, 'ana@example.com');
		for (const path of ['/', `/lessons/${free[0].slug}`, `/lessons/${free[0].slug}/__data.json`]) {
			expect((await browser.get(path)).headers.get('cache-control'), path).toMatch(/private/);
		}
	});

	it('a forged cookie signs no one in', async () => {
		await signIn(server, 'ana@example.com');
		const forged = new Browser(server.origin);
		forged.cookies.set('session', 'A'.repeat(43));
		expect(await signedIn(forged)).toBe(false);
	});
});

describe('sign-out', () => {
	it('POST /logout deletes the session on the server: the old cookie no longer works', async () => {
		const browser = await signIn(server, 'ana@example.com');
		const cookie = browser.cookies.get('session')!;
		expect(await signedIn(browser)).toBe(true);

		const res = await submit(browser, '/logout');
		expect(res.status).toBe(303);
		expect(res.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Max-Age=0/i);
		expect(sessionsOf('ana@example.com')).toHaveLength(0);

		const replay = new Browser(server.origin);
		replay.cookies.set('session', cookie);
		expect(await signedIn(replay)).toBe(false);
	});

	it('refuses a cross-site POST /logout (the origin check applies)', async () => {
		const browser = await signIn(server, 'ana@example.com');
		const res = await submit(browser, '/logout', {}, { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		expect(sessionsOf('ana@example.com')).toHaveLength(1);
	});

	it('a GET of /logout changes nothing', async () => {
		const browser = await signIn(server, 'ana@example.com');
		expect((await browser.get('/logout')).status).toBe(200);
		expect(sessionsOf('ana@example.com')).toHaveLength(1);
	});
});
