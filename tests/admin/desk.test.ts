// The seller's desk over real HTTP: orders, students and one student's page, each action confirmed where it cannot be
// undone and written to the audit log; every route and action closed to anyone but an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, enrol, lessonFixtures, outcome, signIn, submit } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
// A paid lesson that opens on the day of enrolment: readable exactly while access stands.
const gated = lessonFixtures().find((l) => !l.lesson.free && l.lesson.dripDay === 0)!;
let studentId: number;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	studentId = addUser(server.db, 'reader@example.com', 'পাঠক');
	server.db
		.prepare(
			`insert into orders (checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, buyer_name)
			 values ('cs_desk_1', 'pi_desk_1', ?, 150000, 'BDT', 'reader@example.com', 'পাঠক')`
		)
		.run(studentId);
	enrol(server.db, studentId, { daysAgo: 1 });
});
afterAll(async () => {
	await server?.stop();
});

const count = (sql: string, ...args: unknown[]): number => (server.db.prepare(sql).get(...args) as { n: number }).n;
const auditOf = (
	action: string
): { actor: string; before: string | null; after: string | null; reason: string | null }[] =>
	server.db.prepare('select * from audit_log where action = ? order by id').all(action) as never;
const canRead = async (browser: Browser): Promise<boolean> =>
	(await (await browser.get(`/lessons/${gated.lesson.slug}`)).text()).includes(gated.sentences[0]);

describe('who gets in', () => {
	it('answers every desk page, its __data.json and every action with 404 to a student, sign-in to anonymous', async () => {
		expect(gated, 'the fixture course has a paid lesson open on day 0').toBeDefined();
		const pages = ['/admin/orders', '/admin/students', `/admin/students/${studentId}`, '/admin/audit'];
		const gets = pages.flatMap((p) => [p, `${p}/__data.json`, `${p}?q=reader`]);
		const posts = [
			'/admin/students?/enrol',
			...['revoke', 'restore', 'open', 'schedule', 'link', 'name', 'email'].map(
				(a) => `/admin/students/${studentId}?/${a}`
			)
		];
		const anonymous = new Browser(server.origin);
		const student = await signIn(server, 'reader@example.com');
		const admin = await signIn(server, ADMIN);
		for (const path of gets) {
			const a = await outcome(await anonymous.get(path));
			expect([a.status, a.location?.startsWith('/login?next=')], path).toEqual([303, true]);
			const s = await outcome(await student.get(path));
			expect(s.status, path).toBe(404);
			expect(s.body, path).not.toContain('reader@example.com');
			const res = await admin.get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('cache-control'), path).toContain('no-store');
		}
		const fields = { email: 'x@example.com', name: 'x', reason: 'x', amount: '1', currency: 'BDT', confirm: '1' };
		for (const path of posts) {
			expect((await submit(anonymous, path, fields)).status, path).toBe(303);
			expect((await submit(student, path, fields)).status, path).toBe(404);
		}
		expect(count('select count(*) n from audit_log')).toBe(0);
		expect(count("select count(*) n from users where email = 'x@example.com'")).toBe(0);
		expect((await admin.get('/admin/students/999999')).status).toBe(404);
		expect((await admin.get('/admin/students/abc')).status).toBe(404);
	});
});

describe('enrolment by hand', () => {
	const buyer = {
		email: 'Cash.Buyer@example.com',
		name: 'নগদ ক্রেতা',
		amount: '১৫০০',
		currency: 'bdt',
		reference: 'রসিদ ৪২'
	};

	it('asks to confirm, then records one manual order, grants access and queues one welcome mail', async () => {
		const admin = await signIn(server, ADMIN);
		const ask = await submit(admin, '/admin/students?/enrol', buyer);
		expect(ask.status).toBe(200);
		expect(await ask.text()).toContain('হ্যাঁ, ভর্তি করুন');
		expect(count("select count(*) n from users where email = 'cash.buyer@example.com'")).toBe(0);

		const done = await submit(admin, '/admin/students?/enrol', { ...buyer, confirm: '1' });
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toMatch(/^\/admin\/students\/\d+\?enrolled=new$/);
		const order = server.db
			.prepare("select * from orders where buyer_email = 'cash.buyer@example.com'")
			.get() as Record<string, unknown>;
		expect(order).toMatchObject({
			method: 'manual',
			amount: 150000,
			currency: 'BDT',
			reference: 'রসিদ ৪২',
			checkout_session_id: null
		});
		expect(
			count("select count(*) n from outbox where template = 'welcome' and to_email = 'cash.buyer@example.com'")
		).toBe(1);
		expect(auditOf('enrol')).toEqual([expect.objectContaining({ actor: ADMIN })]);
		expect(await canRead(await signIn(server, 'cash.buyer@example.com'))).toBe(true);

		const orders = await (await admin.get('/admin/orders?method=manual')).text();
		expect(orders).toContain('cash.buyer@example.com');
		expect(orders).toContain('হাতে ভর্তি');
		expect(orders).not.toContain('reader@example.com');
		expect(await (await admin.get('/admin/orders?q=pi_desk_1')).text()).toContain('reader@example.com');
	});

	it('makes one order however often and however concurrently the form is sent', async () => {
		const admin = await signIn(server, ADMIN);
		const twin = { ...buyer, email: 'twin@example.com', confirm: '1' };
		const answers = await Promise.all(Array.from({ length: 6 }, () => submit(admin, '/admin/students?/enrol', twin)));
		expect(answers.map((r) => r.status)).toEqual(Array(6).fill(303));
		expect(count("select count(*) n from orders where buyer_email = 'twin@example.com'")).toBe(1);
		expect(count("select count(*) n from outbox where template = 'welcome' and to_email = 'twin@example.com'")).toBe(1);
		expect(auditOf('enrol').filter((a) => a.after?.includes('"orderId"'))).toHaveLength(2);
	});

	it('refuses bad input with a Bengali message and writes nothing', async () => {
		const admin = await signIn(server, ADMIN);
		for (const bad of [{ email: 'not-an-address' }, { amount: 'অনেক' }, { currency: 'taka' }]) {
			const res = await submit(admin, '/admin/students?/enrol', {
				...buyer,
				email: 'bad@example.com',
				...bad,
				confirm: '1'
			});
			expect(res.status, JSON.stringify(bad)).toBe(400);
			expect(await res.text()).toMatch(/লিখুন|ঠিক মনে হচ্ছে না/);
		}
		expect(count("select count(*) n from users where email = 'bad@example.com'")).toBe(0);
	});
});

describe("a student's page", () => {
	it('shows progress, orders and mails, and revokes and restores access at once, with a reason, audited', async () => {
		const admin = await signIn(server, ADMIN);
		const student = await signIn(server, 'reader@example.com');
		const page = await (await admin.get(`/admin/students/${studentId}`)).text();
		expect(page).toContain('reader@example.com');
		expect(page).toContain(gated.lesson.title);
		expect(page).toContain('৳১,৫০০');
		expect(await canRead(student)).toBe(true);

		const path = `/admin/students/${studentId}`;
		expect((await submit(admin, `${path}?/revoke`, { reason: '' })).status).toBe(400);
		expect((await submit(admin, `${path}?/revoke`, { reason: 'চার্জব্যাক' })).status).toBe(200);
		expect(await canRead(student), 'a revoke waits for its confirmation').toBe(true);
		expect((await submit(admin, `${path}?/revoke`, { reason: 'চার্জব্যাক', confirm: '1' })).status).toBe(200);
		expect(await canRead(student)).toBe(false);
		expect(await (await admin.get('/admin/orders?status=revoked')).text()).toContain('reader@example.com');

		expect((await submit(admin, `${path}?/restore`, { reason: 'ভুল হয়েছিল' })).status).toBe(200);
		expect(await canRead(student)).toBe(true);
		expect(auditOf('revoke')).toEqual([expect.objectContaining({ reason: 'চার্জব্যাক', actor: ADMIN })]);
		expect(auditOf('restore')).toEqual([expect.objectContaining({ reason: 'ভুল হয়েছিল' })]);
		const audit = await (await admin.get('/admin/audit')).text();
		expect(audit).toContain('চার্জব্যাক');
		expect(audit).toContain('প্রবেশ ফেরত');
	});

	it('sends a fresh sign-in link, renames, and moves the student to a new address after a confirmation', async () => {
		const admin = await signIn(server, ADMIN);
		const path = `/admin/students/${studentId}`;
		expect((await submit(admin, `${path}?/link`)).status).toBe(200);
		expect(
			count("select count(*) n from outbox where template = 'login-link' and to_email = 'reader@example.com'")
		).toBe(1);
		expect(auditOf('send-sign-in-link')).toHaveLength(1);

		expect((await submit(admin, `${path}?/name`, { name: '  নতুন   নাম ' })).status).toBe(200);
		expect(server.db.prepare('select name from users where id = ?').get(studentId)).toEqual({ name: 'নতুন নাম' });
		expect(auditOf('change-name')[0]).toMatchObject({ before: '{"name":"পাঠক"}', after: '{"name":"নতুন নাম"}' });

		expect((await submit(admin, `${path}?/email`, { email: ADMIN, confirm: '1' })).status).toBe(409);
		expect((await submit(admin, `${path}?/email`, { email: 'New@Example.com' })).status).toBe(200);
		expect(server.db.prepare('select email from users where id = ?').get(studentId)).toEqual({
			email: 'reader@example.com'
		});
		expect((await submit(admin, `${path}?/email`, { email: 'New@Example.com', confirm: '1' })).status).toBe(200);
		expect(server.db.prepare('select email from users where id = ?').get(studentId)).toEqual({
			email: 'new@example.com'
		});
		expect(count("select count(*) n from orders where buyer_email = 'reader@example.com'")).toBe(0);
		expect(count("select count(*) n from login_tokens where email = 'reader@example.com'")).toBe(0);
		expect(auditOf('change-email')[0]).toMatchObject({ before: '{"email":"reader@example.com"}' });
		expect(await canRead(await signIn(server, 'new@example.com'))).toBe(true);
	});

	it('lists students by who has been idle longest, paginated by key', async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get('/admin/students?sort=idle')).text();
		expect(html).toContain('new@example.com');
		expect(html).toContain('twin@example.com');
		const bad = await admin.get('/admin/students?after=%27%3Bdrop&sort=idle');
		expect(bad.status).toBe(200);
	});
});
