import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, enrol, signIn, submit } from '../support/students';

let server: TestServer;
/** A paid lesson: where a reader is sent back to after signing in. */
const NEXT = `/lessons/${fixtureCourse().paidAtOnce.slug}`;

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

beforeEach(() => {
	server.db.exec(
		'delete from rate_limit_hits; delete from outbox; delete from demo_mailbox; delete from login_tokens; delete from sessions; delete from enrolments; delete from users;'
	);
});

interface Queued {
	template: string;
	to_email: string;
	params: string;
	idempotency_key: string;
}

function queued(): Queued[] {
	return server.db
		.prepare('select template, to_email, params, idempotency_key from outbox order by id')
		.all() as Queued[];
}

function requestLink(
	email: string,
	fields: Record<string, string> = {},
	path = '/login',
	headers: Record<string, string> = {}
) {
	return submit(new Browser(server.origin), path, { email, ...fields }, headers);
}

describe('GET /login', () => {
	it('asks for an email, keeping a same-site next and dropping an off-site one', async () => {
		const page = await (await new Browser(server.origin).get(`/login?next=${encodeURIComponent(NEXT)}`)).text();
		expect(page).toContain('name="email"');
		expect(page).toContain(`name="next" value="${NEXT}"`);

		const offsite = await (await new Browser(server.origin).get('/login?next=%2F%2Fevil.example')).text();
		expect(offsite).not.toContain('evil.example');
	});

	it('sends a signed-in reader on to next', async () => {
		const browser = await signIn(server, 'ana@example.com');
		const res = await browser.get(`/login?next=${encodeURIComponent(NEXT)}`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(NEXT);
	});
});

describe('POST /login', () => {
	it('queues a sign-in mail for the address, trimmed and lower-cased, with next; the token is kept only hashed', async () => {
		const browser = new Browser(server.origin);
		const res = await submit(browser, `/login?next=${encodeURIComponent(NEXT)}`, {
			email: '  Ana@Example.COM ',
			next: NEXT
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('ইমেইল দেখুন');
		// The browser that asked is remembered by an HttpOnly cookie; the outbox holds only its hash.
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sign_in_browser='));
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\/login/i);
		const [mail] = queued();
		expect(mail.template).toBe('login-link');
		expect(mail.to_email).toBe('ana@example.com');
		expect(JSON.parse(mail.params)).toEqual({
			next: NEXT,
			browser: createHash('sha256').update(browser.cookies.get('sign_in_browser')!).digest('hex')
		});
		expect(mail.idempotency_key).toMatch(/^login:[0-9a-f]{32}$/);
		expect(server.db.prepare('select count(*) n from users').get()).toEqual({ n: 0 });
		// The mail is composed and sent at once (demo mailbox); its link carries the token, the database only its hash.
		let delivered: { text: string } | undefined;
		for (let i = 0; i < 100 && !delivered; i++) {
			delivered = server.db.prepare('select text from demo_mailbox order by id desc limit 1').get() as typeof delivered;
			if (!delivered) await new Promise((r) => setTimeout(r, 50));
		}
		const token = /token=([\w-]+)/.exec(delivered?.text ?? '')?.[1];
		expect(token).toBeDefined();
		const rows = server.db.prepare('select token_hash, email, next from login_tokens').all();
		expect(rows).toEqual([
			{
				token_hash: createHash('sha256').update(token!).digest('hex'),
				email: 'ana@example.com',
				next: NEXT
			}
		]);
	});

	it('answers a student and a stranger alike (no account enumeration)', async () => {
		enrol(server.db, addUser(server.db, 'student@example.com'));
		const student = await requestLink('student@example.com');
		const stranger = await requestLink('nobody@example.com');
		expect(student.status).toBe(stranger.status);
		const a = (await student.text()).replaceAll('student@example.com', 'EMAIL');
		const b = (await stranger.text()).replaceAll('nobody@example.com', 'EMAIL');
		expect(a).toBe(b);
		expect(queued().map((m) => m.to_email)).toEqual(['student@example.com', 'nobody@example.com']);
	});

	it('drops an off-site next', async () => {
		for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
			await requestLink(`n${queued().length}@example.com`, { next });
		}
		expect(queued().map((m) => (JSON.parse(m.params) as { next: unknown }).next)).toEqual(Array(4).fill(null));
	});

	it('refuses an invalid address with 400, a Bengali message and the address echoed back', async () => {
		for (const email of ['', 'not-an-email', 'a@', `${'a'.repeat(250)}@example.com`]) {
			const res = await requestLink(email);
			expect(res.status, email).toBe(400);
			const html = await res.text();
			expect(html).toContain('role="alert"');
			expect(html).toMatch(/ইমেইল/);
		}
		const html = await (await requestLink('not-an-email')).text();
		expect(html).toContain('value="not-an-email"');
		expect(queued()).toHaveLength(0);
	});

	it('refuses a cross-site POST', async () => {
		const res = await requestLink('ana@example.com', {}, '/login', { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		expect(queued()).toHaveLength(0);
	});
});

describe('rate limits', () => {
	it('5 links per address per 15 minutes; the 6th gets 429 and a Bengali message saying when to try again', async () => {
		for (let i = 0; i < 5; i++) expect((await requestLink('ana@example.com')).status).toBe(200);
		const res = await requestLink('ANA@example.com');
		expect(res.status).toBe(429);
		const retryAfter = Number(res.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(14 * 60);
		expect(retryAfter).toBeLessThanOrEqual(15 * 60);
		const html = await res.text();
		expect(html).toContain('১৫ মিনিট পরে');
		expect(html).toContain('আবার চেষ্টা করুন');
		expect(queued()).toHaveLength(5);

		// Another address from the same IP is not affected.
		expect((await requestLink('bob@example.com')).status).toBe(200);
	});

	it('opens again when the oldest hit leaves the window', async () => {
		for (let i = 0; i < 5; i++) await requestLink('ana@example.com');
		server.db.prepare('update rate_limit_hits set at = at - 16 * 60 * 1000').run();
		expect((await requestLink('ana@example.com')).status).toBe(200);
	});

	it('20 links per IP per hour, whatever X-Forwarded-For says', async () => {
		for (let i = 0; i < 20; i++) expect((await requestLink(`user${i}@example.com`)).status).toBe(200);
		const res = await requestLink('user20@example.com', {}, '/login', { 'x-forwarded-for': '203.0.113.9' });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
		expect(await res.text()).toContain('৬০ মিনিট পরে');
		expect(queued()).toHaveLength(20);
		const buckets = server.db
			.prepare("select distinct bucket from rate_limit_hits where bucket like 'login-ip:%'")
			.all();
		expect(buckets).toEqual([{ bucket: 'login-ip:127.0.0.1' }]);
	});

	it('are kept in SQLite, so another server process on the same database (a restart) still enforces them', async () => {
		for (let i = 0; i < 5; i++) await requestLink('ana@example.com');
		const restarted = await startServer({ DATABASE_PATH: server.dbPath });
		try {
			const res = await submit(new Browser(restarted.origin), '/login', { email: 'ana@example.com' });
			expect(res.status).toBe(429);
		} finally {
			await restarted.stop();
		}
	});
});
