// The 6-digit code beside every sign-in link, over HTTP against the built server: typed in the browser that asked,
// in Bengali or Latin digits, spent with its link in one step, and ended by five wrong guesses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { sha256, submit } from '../support/students';

let server: TestServer;

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

const BENGALI = '০১২৩৪৫৬৭৮৯';
const toBengali = (latin: string): string => latin.replace(/[0-9]/g, (d) => BENGALI[Number(d)]);
const toLatin = (bengali: string): string => bengali.replace(/[০-৯]/g, (d) => String(BENGALI.indexOf(d)));

interface SignInMail {
	/** The code as the mail shows it in Latin digits. */
	code: string;
	/** The same code as the mail shows it in Bengali digits. */
	bengali: string;
	token: string;
	text: string;
	html: string;
}

/** The newest mail to `to` in the demo mailbox whose outbox key starts with `keyPrefix`, once the sender has sent it. */
async function signInMail(to: string, keyPrefix = 'login:'): Promise<SignInMail> {
	for (let i = 0; i < 200; i++) {
		const row = server.db
			.prepare(
				'select text, html from demo_mailbox where to_email = ? and substr(idempotency_key, 1, ?) = ? order by id desc limit 1'
			)
			.get(to, keyPrefix.length, keyPrefix) as { text: string; html: string } | undefined;
		if (row) {
			const token = /\/login\/verify\?token=([\w-]+)/.exec(row.text)?.[1] ?? '';
			const bengali = /^([০-৯]{6})$/m.exec(row.text)?.[1] ?? '';
			const code = /ইংরেজি অঙ্কে: ([0-9]{6})/.exec(row.text)?.[1] ?? '';
			return { code, bengali, token, ...row };
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no sign-in mail for ${to}`);
}

/** Asks for a sign-in link in browser, as the login page's form does, and reads the mail it sends. */
async function askForLink(browser: Browser, email: string, next?: string): Promise<SignInMail> {
	const res = await submit(browser, '/login', next ? { email, next } : { email });
	expect(res.status).toBe(200);
	const html = await res.text();
	// The answer page carries the code form, without JavaScript: a plain POST form with a field named code.
	expect(html).toMatch(/<form method="POST" action="\/login\/code"/);
	expect(html).toContain('name="code"');
	return signInMail(email);
}

function typeCode(browser: Browser, code: string): Promise<Response> {
	return submit(browser, '/login/code', { code });
}

function sessionCount(email: string): number {
	const row = server.db
		.prepare('select count(*) n from sessions s join users u on u.id = s.user_id where u.email = ?')
		.get(email) as { n: number };
	return row.n;
}

/** A code that is not `code`. */
const wrong = (code: string, by = 1): string => String((Number(code) + by) % 1_000_000).padStart(6, '0');

describe('the sign-in code', () => {
	it('is in the mail in Bengali and Latin digits, and stored only as a keyed hash', async () => {
		const mail = await askForLink(new Browser(server.origin), 'ana@example.com');
		expect(mail.code).toMatch(/^[0-9]{6}$/);
		expect(mail.bengali).toBe(toBengali(mail.code));
		expect(mail.html).toContain(mail.bengali);
		expect(mail.html).toContain(mail.code);

		const row = server.db.prepare('select * from login_tokens').get() as Record<string, unknown>;
		const stored = JSON.stringify(row);
		expect(stored).not.toContain(mail.code);
		// A plain SHA-256 of six digits is reversed in a moment: the stored hash is not one.
		expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(row.code_hash).not.toBe(sha256(mail.code));
		expect(row.code_attempts).toBe(0);
	});

	it('typed in Bengali digits (with spaces) signs this browser in and goes where the sign-in was asked from', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'ana@example.com', '/lessons/some-lesson');
		const typed = `${mail.bengali.slice(0, 3)} ${mail.bengali.slice(3)} `;
		const res = await typeCode(browser, typed);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/lessons/some-lesson');
		expect(browser.cookies.has('session')).toBe(true);
		expect(sessionCount('ana@example.com')).toBe(1);
		expect((await browser.get('/login')).status).toBe(303);
	});

	it('typed in Latin digits signs in and goes to /course by default', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'bob@example.com');
		const res = await typeCode(browser, mail.code);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/course');
		expect(sessionCount('bob@example.com')).toBe(1);
	});

	it('fails once the link is used, and the link fails once the code is used', async () => {
		const first = new Browser(server.origin);
		const linkFirst = await askForLink(first, 'ana@example.com');
		expect((await submit(new Browser(server.origin), '/login/verify', { token: linkFirst.token })).status).toBe(303);
		const late = await typeCode(first, linkFirst.code);
		expect(late.status).toBe(410);
		expect(await late.text()).toContain('আগেই ব্যবহার হয়েছে');
		expect(first.cookies.has('session')).toBe(false);

		const second = new Browser(server.origin);
		const codeFirst = await askForLink(second, 'bob@example.com');
		expect((await typeCode(second, codeFirst.code)).status).toBe(303);
		const opened = await new Browser(server.origin).get(`/login/verify?token=${codeFirst.token}`);
		expect(await opened.text()).toContain('লিংকটি আর কাজ করছে না');
		const spent = await submit(new Browser(server.origin), '/login/verify', { token: codeFirst.token });
		expect(spent.status).toBe(400);
		expect(sessionCount('bob@example.com')).toBe(1);
	});

	it('submitted 100 times at once makes exactly one session', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'ana@example.com');
		const answers = await Promise.all(
			Array.from({ length: 100 }, (_, i) => typeCode(browser, i % 2 ? mail.code : mail.bengali))
		);
		const statuses = answers.map((r) => r.status);
		expect(statuses.filter((s) => s === 303)).toHaveLength(1);
		expect(statuses.filter((s) => s === 410)).toHaveLength(99);
		expect(sessionCount('ana@example.com')).toBe(1);
	});

	it('ends its request after five wrong codes: the sixth is refused even when right, and the link is dead too', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'ana@example.com');
		for (let i = 1; i <= 4; i++) {
			const res = await typeCode(browser, wrong(mail.code, i));
			expect(res.status).toBe(400);
			const html = await res.text();
			expect(html).toContain('কোডটি মেলেনি');
			expect(html).toContain(`আর ${toBengali(String(5 - i))} বার`);
		}
		const fifth = await typeCode(browser, wrong(mail.code, 5));
		expect(fifth.status).toBe(429);
		expect(await fifth.text()).toContain('অনেকবার ভুল কোড');

		const sixth = await typeCode(browser, mail.code);
		expect(sixth.status).toBe(429);
		expect(await sixth.text()).toContain('অনেকবার ভুল কোড');
		expect(browser.cookies.has('session')).toBe(false);
		expect((await submit(new Browser(server.origin), '/login/verify', { token: mail.token })).status).toBe(400);
		expect(sessionCount('ana@example.com')).toBe(0);
	});

	it('does not count what is not a code (letters, too few digits) as a guess', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'ana@example.com');
		for (const typed of ['abcdef', '12345', '১২৩৪৫', '1234567']) {
			const res = await typeCode(browser, typed);
			expect(res.status, typed).toBe(400);
			expect(await res.text()).toContain('৬ অঙ্কের কোডটি লিখুন');
		}
		expect(server.db.prepare('select code_attempts from login_tokens').get()).toEqual({ code_attempts: 0 });
		expect((await typeCode(browser, mail.code)).status).toBe(303);
	});

	it('works only in the browser that asked', async () => {
		const asker = new Browser(server.origin);
		const mail = await askForLink(asker, 'ana@example.com');

		// No sign-in cookie at all: refused, and the request is untouched.
		const stranger = new Browser(server.origin);
		const refused = await typeCode(stranger, mail.code);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('এই ব্রাউজার থেকে সাইন-ইন লিংক চাওয়া হয়নি');

		// A browser that asked for another address: ana's code is a wrong guess there, not a way in.
		const other = new Browser(server.origin);
		await askForLink(other, 'mallory@example.com');
		expect((await typeCode(other, mail.code)).status).toBe(400);
		expect(other.cookies.has('session')).toBe(false);
		expect(sessionCount('ana@example.com')).toBe(0);

		const ana = server.db.prepare("select code_attempts from login_tokens where email = 'ana@example.com'").get();
		expect(ana).toEqual({ code_attempts: 0 });
		expect((await typeCode(asker, toLatin(mail.bengali))).status).toBe(303);
	});

	it('is refused once expired, like its link', async () => {
		const browser = new Browser(server.origin);
		const mail = await askForLink(browser, 'ana@example.com');
		const row = server.db.prepare('select expires_at - created_at as ttl from login_tokens').get() as { ttl: number };
		expect(Math.abs(row.ttl - 15 * 60 * 1000)).toBeLessThan(60 * 1000);
		server.db.prepare('update login_tokens set expires_at = ?').run(Date.now() - 1);
		const res = await typeCode(browser, mail.code);
		expect(res.status).toBe(410);
		expect(await res.text()).toContain('মেয়াদ শেষ');
		expect(sessionCount('ana@example.com')).toBe(0);
	});

	it('stays on the sign-in page of the browser that asked, for a reader back from the mail app', async () => {
		const browser = new Browser(server.origin);
		await askForLink(browser, 'ana@example.com');
		const back = await (await browser.get('/login')).text();
		expect(back).toContain('name="code"');
		expect(back).toContain('ana@example.com');
		const elsewhere = await (await new Browser(server.origin).get('/login')).text();
		expect(elsewhere).not.toContain('name="code"');
	});
});

describe('the purchase mail', () => {
	it('carries a code that signs in the browser that bought, for as long as its 24-hour link', async () => {
		const browser = new Browser(server.origin);
		const checkout = await browser.post('/checkout', {}, { accept: 'text/html' });
		expect(checkout.status).toBe(303);
		const page = checkout.headers.get('location')!;
		const sessionId = page.split('/').pop()!;
		// The buyer pays, but the success page never loads (the payment app closed it): this browser is not signed in.
		const paid = await browser.post(page, { email: 'buyer@example.com', name: 'ক্রেতা' }, { accept: 'text/html' });
		expect(paid.status).toBe(303);
		expect(browser.cookies.has('session')).toBe(false);

		const mail = await signInMail('buyer@example.com', `welcome:${sessionId}`);
		expect(mail.code).toMatch(/^[0-9]{6}$/);
		expect(mail.bengali).toBe(toBengali(mail.code));
		expect(mail.token).not.toBe('');
		const row = server.db.prepare('select expires_at - created_at as ttl from login_tokens').get() as { ttl: number };
		expect(Math.abs(row.ttl - 24 * 60 * 60 * 1000)).toBeLessThan(60 * 1000);

		// Elsewhere the code is nothing; in the buyer's browser the sign-in page asks for it.
		expect((await typeCode(new Browser(server.origin), mail.code)).status).toBe(403);
		expect(await (await browser.get('/login')).text()).toContain('name="code"');
		const res = await typeCode(browser, mail.bengali);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/course');
		expect(sessionCount('buyer@example.com')).toBe(1);
		expect((await browser.get('/course')).status).toBe(200);
	});
});
