// /admin/broadcasts over real HTTP in demo mode: closed to all but admins; a draft previewed, test-sent, confirmed
// with its count (a second click sends nobody twice), delivered to each recipient's /dev/mailbox; an unsubscribe
// from one broadcast keeps the reader out of the next; a scheduled file broadcast cancelled until it starts; a
// broadcast written here scheduled for a time in the store's own timezone, refused for a past or garbled one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bnDigits, formatTime } from '../../src/lib/format';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, enrol, outcome, signIn, submit } from '../support/students';

const ADMIN = 'seller@example.com';
const READERS = ['ana@example.com', 'bina@example.com', 'chaya@example.com'];
let server: TestServer;
let admin: Browser;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const insert = server.db.prepare(
		`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
		 values (?, 'confirmed', 0, '/', 'sales-page', '2026-12-bn-2', 0)`
	);
	for (const email of READERS) insert.run(email);
	enrol(server.db, addUser(server.db, 'student@example.com'), { daysAgo: 1 });
	admin = await signIn(server, ADMIN);
});
afterAll(async () => {
	await server?.stop();
});

const count = (sql: string, ...args: unknown[]): number => (server.db.prepare(sql).get(...args) as { n: number }).n;
const fileBroadcast = (): { id: number; status: string } =>
	server.db.prepare("select id, status from broadcasts where file = 'new-year-bonus'").get() as never;

/** Waits for the server's own sender pass (woken by the action) to deliver what the test expects. */
async function mailboxHas(sql: string, n: number, ...args: unknown[]): Promise<void> {
	for (let i = 0; i < 200 && count(sql, ...args) < n; i++) await new Promise((r) => setTimeout(r, 50));
	expect(count(sql, ...args)).toBe(n);
}

async function draft(subject: string, segment = 'subscribers'): Promise<string> {
	const res = await submit(admin, '/admin/broadcasts?/create', {
		subject,
		body: 'নতুন বোনাস পাঠ এসেছে। [কোর্স দেখুন]({{course_url}})',
		segment
	});
	expect(res.status).toBe(303);
	const location = res.headers.get('location')!;
	expect(location).toMatch(/^\/admin\/broadcasts\/\d+$/);
	return location;
}

describe('who gets in', () => {
	it('answers the pages, their __data.json and every action with 404 to a student, sign-in to anonymous', async () => {
		const file = fileBroadcast();
		expect(file, 'the fixture course has a broadcast file, shown from start-up').toMatchObject({ status: 'scheduled' });
		const pages = ['/admin/broadcasts', `/admin/broadcasts/${file.id}`];
		const gets = pages.flatMap((p) => [p, `${p}/__data.json`]);
		const posts = [
			'/admin/broadcasts?/create',
			...['test', 'send', 'cancel'].map((a) => `/admin/broadcasts/${file.id}?/${a}`)
		];
		const anonymous = new Browser(server.origin);
		const student = await signIn(server, 'student@example.com');
		for (const path of gets) {
			const a = await outcome(await anonymous.get(path));
			expect([a.status, a.location?.startsWith('/login?next=')], path).toEqual([303, true]);
			const s = await outcome(await student.get(path));
			expect(s.status, path).toBe(404);
			expect(s.body, path).not.toContain('new-year-bonus');
			const res = await admin.get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('cache-control'), path).toContain('no-store');
		}
		const fields = { subject: 'x', body: 'x', segment: 'everyone', confirm: '1', count: '1' };
		for (const path of posts) {
			expect((await submit(anonymous, path, fields)).status, path).toBe(303);
			expect((await submit(student, path, fields)).status, path).toBe(404);
		}
		expect(count('select count(*) n from audit_log')).toBe(0);
		expect(count('select count(*) n from broadcasts')).toBe(1);
		expect(fileBroadcast().status).toBe('scheduled');
		expect((await admin.get('/admin/broadcasts/999999')).status).toBe(404);
		expect((await admin.get('/admin/broadcasts/abc')).status).toBe(404);
	});
});

describe('bad input', () => {
	it.each([
		[{ subject: '', body: 'x', segment: 'everyone' }, 'বিষয় লিখুন'],
		[{ subject: 'x', body: '  ', segment: 'everyone' }, 'মেইলের লেখা লিখুন'],
		[{ subject: 'x', body: 'দাম {{discount}}', segment: 'everyone' }, 'অজানা'],
		[{ subject: 'x', body: 'x', segment: 'students_inactive_days', days: '0' }, '১ থেকে ৩৬৫'],
		[{ subject: 'x', body: 'x', segment: 'source', source: 'no such form!' }, 'ফর্মের নাম'],
		[{ subject: 'x', body: 'x', segment: 'all-of-them' }, 'বেছে নিন']
	])('%j is refused in Bengali, with the fields kept', async (fields, message) => {
		const res = await submit(admin, '/admin/broadcasts?/create', fields);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain(message);
		expect(count('select count(*) n from broadcasts where file is null')).toBe(0);
	});
});

describe('sending from /admin', () => {
	let page: string;

	it('shows the count and the previews, and sends a test copy to the admin only', async () => {
		page = await draft('বোনাস পাঠ এসেছে');
		const html = await (await admin.get(page)).text();
		expect(html).toContain(`${bnDigits(READERS.length)} জন`);
		expect(html).toContain('<iframe');
		expect(html).toContain('srcdoc=');
		expect(html).toContain('নতুন বোনাস পাঠ এসেছে। কোর্স দেখুন (');
		expect((await submit(admin, `${page}?/test`)).status).toBe(200);
		await mailboxHas(
			"select count(*) n from demo_mailbox where to_email = ? and subject = '[পরীক্ষা] বোনাস পাঠ এসেছে'",
			1,
			ADMIN
		);
		expect(count("select count(*) n from demo_mailbox where subject like '%বোনাস পাঠ এসেছে'")).toBe(1);
	});

	it('asks to confirm with the count, refuses a stale count, and a second click sends nobody twice', async () => {
		const ask = await submit(admin, `${page}?/send`);
		expect(ask.status).toBe(200);
		expect(await ask.text()).toContain(`হ্যাঁ, ${bnDigits(READERS.length)} জনকে পাঠান`);
		expect(
			count("select count(*) n from outbox where template like 'broadcast/%' and idempotency_key like 'broadcast:%'")
		).toBe(0);
		const stale = await submit(admin, `${page}?/send`, { confirm: '1', count: String(READERS.length + 1) });
		expect(stale.status).toBe(409);
		const confirm = { confirm: '1', count: String(READERS.length) };
		const [first, second] = await Promise.all([
			submit(admin, `${page}?/send`, confirm),
			submit(admin, `${page}?/send`, confirm)
		]);
		expect([first.status, second.status].sort()).toEqual([200, 409]);
		await mailboxHas("select count(*) n from demo_mailbox where subject = 'বোনাস পাঠ এসেছে'", READERS.length);
		for (const to of READERS)
			expect(
				count("select count(*) n from demo_mailbox where to_email = ? and subject = 'বোনাস পাঠ এসেছে'", to),
				to
			).toBe(1);
		expect(count("select count(*) n from demo_mailbox where to_email = 'student@example.com'")).toBe(0);
		const mailbox = await (await new Browser(server.origin).get('/dev/mailbox')).text();
		for (const to of READERS) expect(mailbox, to).toContain(to);
		expect(count("select count(*) n from audit_log where action = 'broadcast-confirm'")).toBe(1);
	});

	it('an unsubscribe from the broadcast keeps that reader out of the next one, and shows in its results', async () => {
		const headers = JSON.parse(
			(
				server.db
					.prepare("select headers from demo_mailbox where to_email = ? and subject = 'বোনাস পাঠ এসেছে'")
					.get(READERS[0]) as { headers: string }
			).headers
		) as Record<string, string>;
		const url = headers['List-Unsubscribe'].slice(1, -1);
		// RFC 8058: a POST with no cookies and no Origin.
		const res = await fetch(url, {
			method: 'POST',
			body: 'List-Unsubscribe=One-Click',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
		expect(res.status).toBe(200);
		const results = await (await admin.get(page)).text();
		expect(results).toMatch(/data-stat="unsubscribed">১</);
		expect(results).toMatch(new RegExp(`data-stat="sent">${bnDigits(READERS.length)}<`));

		const next = await draft('লাইভ সেশন আজ রাতে');
		expect(await (await admin.get(next)).text()).toContain(`${bnDigits(READERS.length - 1)} জন`);
		expect((await submit(admin, `${next}?/send`, { confirm: '1', count: String(READERS.length - 1) })).status).toBe(
			200
		);
		await mailboxHas("select count(*) n from demo_mailbox where subject = 'লাইভ সেশন আজ রাতে'", READERS.length - 1);
		expect(
			count("select count(*) n from demo_mailbox where to_email = ? and subject = 'লাইভ সেশন আজ রাতে'", READERS[0])
		).toBe(0);
	});

	it('cancels a scheduled file broadcast until it starts, once', async () => {
		const { id } = fileBroadcast();
		const res = await submit(admin, `/admin/broadcasts/${id}?/cancel`);
		expect(res.status).toBe(200);
		expect(fileBroadcast().status).toBe('cancelled');
		expect((await submit(admin, `/admin/broadcasts/${id}?/cancel`)).status).toBe(409);
		expect(count("select count(*) n from audit_log where action = 'broadcast-cancel'")).toBe(1);
	});
});

describe('scheduling from /admin', () => {
	const { timezone } = fixtureCourse().course;
	const MINUTE = 60_000;
	// Two days ahead on the minute, written as the store's wall clock shows it ("2026-12-20T10:00").
	const at = Math.floor((Date.now() + 2 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;
	const local = new Date(at).toLocaleString('sv-SE', { timeZone: timezone }).slice(0, 16).replace(' ', 'T');
	const row = (id: string): { status: string; send_at: number | null } =>
		server.db.prepare('select status, send_at from broadcasts where id = ?').get(id) as never;

	it.each([
		['2020-01-01T10:00', 'পার হয়ে গেছে'],
		['2026-02-30T10:00', 'বোঝা যায়নি'],
		['কাল সকালে', 'বোঝা যায়নি'],
		['2026-12-20T25:00', 'বোঝা যায়নি']
	])('refuses %s in Bengali, and the draft stays a draft', async (sendAt, message) => {
		const page = await draft('সময় ভুল');
		const id = page.split('/').pop()!;
		const attempts: Record<string, string>[] = [
			{ send_at: sendAt },
			{ send_at: sendAt, confirm: '1', count: String(READERS.length - 1) }
		];
		for (const fields of attempts) {
			const res = await submit(admin, `${page}?/send`, fields);
			expect(res.status).toBe(400);
			expect(await res.text()).toContain(message);
		}
		expect(row(id)).toEqual({ status: 'draft', send_at: null });
	});

	it("schedules a broadcast at the time given in the store's timezone, shows it, and cancels it before it starts", async () => {
		const page = await draft('নতুন বছরের অফার');
		const id = page.split('/').pop()!;
		const ask = await submit(admin, `${page}?/send`, { send_at: local });
		expect(ask.status).toBe(200);
		const asking = await ask.text();
		expect(asking).toContain(formatTime(at, timezone));
		expect(asking).toContain(`name="send_at" value="${local}"`);
		const confirmed = await submit(admin, `${page}?/send`, {
			send_at: local,
			confirm: '1',
			count: String(READERS.length - 1)
		});
		expect(confirmed.status).toBe(200);
		expect(row(id)).toEqual({ status: 'scheduled', send_at: at });
		const audit = server.db
			.prepare("select after from audit_log where action = 'broadcast-confirm' and subject_id = ?")
			.get(`broadcast:${id}`) as { after: string };
		expect(JSON.parse(audit.after)).toMatchObject({ status: 'scheduled', sendAt: at });
		// Not due yet: nothing queued, and the list and its page show when it goes.
		expect(count('select count(*) n from outbox where template = ?', `broadcast/${id}`)).toBe(0);
		for (const path of ['/admin/broadcasts', page])
			expect(await (await admin.get(path)).text(), path).toContain(formatTime(at, timezone));

		expect((await submit(admin, `${page}?/cancel`)).status).toBe(200);
		expect(row(id).status).toBe('cancelled');
		expect(
			count("select count(*) n from audit_log where action = 'broadcast-cancel' and subject_id = ?", `broadcast:${id}`)
		).toBe(1);
		expect((await submit(admin, `${page}?/send`, { send_at: local, confirm: '1', count: '2' })).status).toBe(409);
	});
});
