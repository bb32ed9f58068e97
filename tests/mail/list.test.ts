// Joining the list over real HTTP against the built server in demo mode: signup, confirmation, the demo mailbox.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, enrol, signIn } from '../support/students';

let server: TestServer;
const { free, paid, steps } = fixtureCourse();
const firstLesson = `/lessons/${free[0].slug}`;
const welcomeSubject = steps('lead')[0].subject;

/** Form posts as a browser sends them: asking for HTML (without it SvelteKit answers form actions with JSON). */
const HTML = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

interface Mail {
	id: number;
	to_email: string;
	subject: string;
	text: string;
	html: string;
	headers: string;
}

/** Waits for the server's sender to put a mail for `to` in the demo mailbox (after `after`). */
async function mailFor(to: string, after = 0): Promise<Mail> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const mail = server.db
			.prepare('select * from demo_mailbox where to_email = ? and id > ? order by id desc limit 1')
			.get(to, after) as Mail | undefined;
		if (mail) return mail;
		if (Date.now() > deadline) throw new Error(`no mail for ${to}:\n${server.output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

function lastMailId(): number {
	return (server.db.prepare('select coalesce(max(id), 0) as id from demo_mailbox').get() as { id: number }).id;
}

function subscriber(email: string): Record<string, unknown> | undefined {
	return server.db.prepare('select * from subscribers where email = ?').get(email) as
		Record<string, unknown> | undefined;
}

/** The first link to path in a mail's text, which writes links as "label (url)". */
const link = (text: string, path: string): string =>
	new RegExp(`https?://[^\\s)]+${path}[^\\s)]*`).exec(text)?.[0] ?? '';

async function signup(browser: Browser, fields: Record<string, string>): Promise<{ status: number; body: string }> {
	const res = await browser.post(
		'/subscribe',
		{ form: 'sales-page', page: '/', consent: '2026-11-bn-1', ...fields },
		{ ...HTML, 'user-agent': 'test-agent/1.0' }
	);
	return { status: res.status, body: await res.text() };
}

/** The answer's main content, with the address taken out. */
function answer(body: string, email: string): string {
	return (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body).replaceAll(email, 'EMAIL');
}

test('the sales page and every free lesson end with the signup form and its consent sentence; paid lessons do not', async () => {
	const browser = new Browser(server.origin);
	const home = await (await browser.get('/')).text();
	expect(home).toContain('action="/subscribe"');
	expect(home).toContain('name="form" value="sales-page"');
	expect(home).toContain('প্রতিটি ইমেইলের নিচের লিংকে এক ক্লিকেই বের হয়ে যেতে পারবেন');
	expect(free.length).toBeGreaterThan(0);
	for (const lesson of free) {
		const page = await (await browser.get(`/lessons/${lesson.slug}`)).text();
		expect(page).toContain('name="form" value="lesson-end"');
		expect(page).toContain(`name="page" value="/lessons/${lesson.slug}"`);
	}
	// A paid lesson, read by a student for whom every lesson is open.
	enrol(server.db, addUser(server.db, 'reading@example.com'), { daysAgo: 30 });
	const student = await signIn(server, 'reading@example.com');
	for (const lesson of paid) {
		const res = await student.get(`/lessons/${lesson.slug}`);
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain(lesson.summary);
		expect(page).not.toContain('action="/subscribe"');
	}
});

test('an invalid address gets a clear Bengali message and the form comes back filled', async () => {
	const browser = new Browser(server.origin);
	const before = server.db.prepare('select count(*) as n from subscribers').get();
	for (const email of ['', 'not-an-address', 'ana@', 'a b@example.com', 'ana@example.com\r\nBcc: x@evil.example']) {
		const { status, body } = await signup(browser, { email, name: 'আনা' });
		expect(status, email).toBe(400);
		expect(body).toMatch(/ইমেইল ঠিকানা(টি ঠিক মনে হচ্ছে না| লিখুন)/);
		expect(body).toContain('value="আনা"');
	}
	expect(server.db.prepare('select count(*) as n from subscribers').get()).toEqual(before);
});

test('double opt-in: consent evidence stored, a GET of the link changes nothing, its POST confirms and the first lead mail brings the first lesson', async () => {
	const browser = new Browser(server.origin);
	const email = 'ana@example.com';
	const { status, body } = await browser
		.post(
			'/subscribe',
			{
				email: ' Ana@Example.com ',
				name: 'আনা',
				form: 'lesson-end',
				page: firstLesson,
				consent: '2026-11-bn-1'
			},
			{ ...HTML, 'user-agent': 'test-agent/1.0' }
		)
		.then(async (r) => ({ status: r.status, body: await r.text() }));
	expect(status).toBe(200);
	expect(body).toContain('প্রায় হয়ে গেছে');
	expect(subscriber(email)).toMatchObject({
		status: 'pending',
		name: 'আনা',
		consent_page: firstLesson,
		consent_form: 'lesson-end',
		consent_ip: '127.0.0.1',
		consent_user_agent: 'test-agent/1.0',
		consent_text_version: '2026-11-bn-1',
		confirmed_at: null
	});
	expect(subscriber(email)?.consent_at).toEqual(expect.any(Number));

	const confirmation = await mailFor(email);
	expect(confirmation.subject).toBe('আপনার ইমেইল ঠিকানা নিশ্চিত করুন');
	expect(JSON.parse(confirmation.headers)).not.toHaveProperty('List-Unsubscribe');
	const confirmUrl = new URL(link(confirmation.text, '/subscribe/confirm'));

	// A mail scanner opening the link confirms nothing.
	const page = await browser.get(confirmUrl.pathname + confirmUrl.search);
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('হ্যাঁ, যোগ দেওয়া নিশ্চিত করছি');
	expect(subscriber(email)?.status).toBe('pending');
	expect(server.db.prepare('select count(*) as n from sequence_runs').get()).toEqual({ n: 0 });

	const before = lastMailId();
	const confirmed = await browser.post(
		confirmUrl.pathname + confirmUrl.search,
		{},
		{ ...HTML, 'user-agent': 'confirming-agent/2.0' }
	);
	expect(confirmed.status).toBe(200);
	expect(await confirmed.text()).toContain('স্বাগতম! আপনি তালিকায় যোগ দিয়েছেন');
	expect(subscriber(email)).toMatchObject({
		status: 'confirmed',
		confirmed_ip: '127.0.0.1',
		confirmed_user_agent: 'confirming-agent/2.0'
	});

	const welcome = await mailFor(email, before);
	expect(welcome.subject).toBe(welcomeSubject);
	expect(welcome.text).toContain('প্রিয় আনা,');
	const lesson = new URL(link(welcome.text, '/lessons/'));
	expect(lesson.pathname).toBe(firstLesson);
	expect((await browser.get(lesson.pathname)).status).toBe(200);
	const headers = JSON.parse(welcome.headers) as Record<string, string>;
	expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);
	expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

	// The demo mailbox shows it first, with its headers and working links.
	const mailbox = await (await browser.get('/dev/mailbox')).text();
	expect(mailbox.indexOf(welcomeSubject)).toBeLessThan(mailbox.indexOf('আপনার ইমেইল ঠিকানা নিশ্চিত করুন'));
	const shown = await (await browser.get(`/dev/mailbox/${welcome.id}`)).text();
	expect(shown).toContain('List-Unsubscribe: &lt;http://127.0.0.1');
	expect(shown).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
	expect(shown).toContain(firstLesson);

	// Confirming twice is harmless.
	expect((await browser.post(confirmUrl.pathname + confirmUrl.search, {}, HTML)).status).toBe(200);
	expect(server.db.prepare("select count(*) as n from outbox where template like 'lead/%'").get()).toEqual({
		n: steps('lead').length
	});
});

test('the same answer for a new, a pending, a confirmed and an unsubscribed address; a confirmation at most once an hour', async () => {
	const browser = new Browser(server.origin);
	const answers = new Map<string, string>();
	const mails = (to: string): number =>
		(
			server.db
				.prepare('select count(*) as n from outbox where to_email = ? and template = ?')
				.get(to, 'subscribe-confirm') as { n: number }
		).n;

	answers.set('new', answer((await signup(browser, { email: 'new@example.com' })).body, 'new@example.com'));
	expect(mails('new@example.com')).toBe(1);
	answers.set('pending', answer((await signup(browser, { email: 'new@example.com' })).body, 'new@example.com'));
	expect(mails('new@example.com')).toBe(1); // within the hour: no second mail
	server.db
		.prepare(
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at) values ('kept@example.com', 'confirmed', 1, '/', 'sales-page', '2026-11-bn-1', 2)"
		)
		.run();
	answers.set('confirmed', answer((await signup(browser, { email: 'kept@example.com' })).body, 'kept@example.com'));
	// Signing up again leaves a confirmed subscriber confirmed.
	expect(subscriber('kept@example.com')?.status).toBe('confirmed');
	server.db
		.prepare(
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, unsubscribed_at) values ('gone@example.com', 'unsubscribed', 1, '/', 'sales-page', '2026-11-bn-1', 2)"
		)
		.run();
	answers.set('unsubscribed', answer((await signup(browser, { email: 'gone@example.com' })).body, 'gone@example.com'));
	expect(new Set(answers.values()).size).toBe(1);

	// An hour later, signing up again sends a new confirmation, and only the newest link works.
	const first = await mailFor('new@example.com');
	server.db
		.prepare('update subscribers set confirm_queued_at = confirm_queued_at - 3600001 where email = ?')
		.run('new@example.com');
	await signup(browser, { email: 'new@example.com' });
	expect(mails('new@example.com')).toBe(2);
	const second = await mailFor('new@example.com', first.id);
	const oldLink = new URL(link(first.text, '/subscribe/confirm'));
	const newLink = new URL(link(second.text, '/subscribe/confirm'));
	expect(await (await browser.get(oldLink.pathname + oldLink.search)).text()).toContain('লিংকটি আর কাজ করছে না');
	expect((await browser.post(oldLink.pathname + oldLink.search, {}, HTML)).status).toBe(400);
	expect((await browser.post(newLink.pathname + newLink.search, {}, HTML)).status).toBe(200);
	expect(subscriber('new@example.com')?.status).toBe('confirmed');
});

test('a name can never add a mail header: it is kept on one line and only ever greets', async () => {
	const browser = new Browser(server.origin);
	const { status } = await signup(browser, {
		email: 'eve@example.com',
		name: 'Eve\r\nBcc: all@evil.example\r\nSubject: free'
	});
	expect(status).toBe(200);
	expect(subscriber('eve@example.com')?.name).toBe('Eve Bcc: all@evil.example Subject: free');
	const mail = await mailFor('eve@example.com');
	expect(Object.keys(JSON.parse(mail.headers) as object).sort()).toEqual(['From', 'Subject', 'To', 'X-Entity-Ref-ID']);
	expect(mail.subject).toBe('আপনার ইমেইল ঠিকানা নিশ্চিত করুন');
});
