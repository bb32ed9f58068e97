// The seller's dashboard over real HTTP: only ADMIN_EMAILS get in, on every /admin path, page and __data.json alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './support/http';
import { startServer, type TestServer } from './support/server';
import { addUser, enrol, lessonFixtures, outcome, signIn, submit } from './support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const lessons = lessonFixtures();
// The lesson that opens last: closed to the buyer below, who bought a day ago.
const { lesson: later, sentences: laterText } = lessons.reduce((a, b) => (b.lesson.dripDay > a.lesson.dripDay ? b : a));

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: `Someone@example.com, ${ADMIN.toUpperCase()}` });
	const buyer = addUser(server.db, 'buyer@example.com', '=HYPERLINK("http://evil.example")');
	server.db
		.prepare(
			`insert into orders (checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, buyer_name)
			 values ('cs_admin_1', 'pi_admin_1', ?, 150000, 'BDT', 'buyer@example.com', '=HYPERLINK("http://evil.example")')`
		)
		.run(buyer);
	enrol(server.db, buyer, { daysAgo: 1 });
	server.db
		.prepare(
			"insert into payment_issues (checkout_session_id, kind, detail) values ('cs_bad', 'amount_mismatch', 'price 100 instead of 150000')"
		)
		.run();
});
afterAll(async () => {
	await server?.stop();
});

const PATHS = [
	'/admin',
	'/admin/__data.json',
	'/admin/students',
	'/admin/students/__data.json',
	'/admin/export/orders'
];

describe('who gets in', () => {
	it('sends anonymous visitors to sign in, and answers 404 to a signed-in student, on every path', async () => {
		const anonymous = new Browser(server.origin);
		const student = await signIn(server, 'buyer@example.com');
		for (const path of PATHS) {
			const a = await outcome(await anonymous.get(path));
			expect(a.status, path).toBe(303);
			expect(a.location, path).toMatch(/^\/login\?next=/);
			expect(a.body).not.toContain('buyer@example.com');
			const s = await outcome(await student.get(path));
			expect(s.status, path).toBe(404);
			expect(s.body).not.toContain('buyer@example.com');
		}
	});

	it('lets an address in ADMIN_EMAILS see sales, problems and students', async () => {
		const admin = await signIn(server, ADMIN);
		const home = await admin.get('/admin');
		expect(home.status).toBe(200);
		expect(home.headers.get('cache-control')).toContain('no-store');
		const html = await home.text();
		expect(html).toContain('৳১,৫০০');
		expect(html).toContain('amount_mismatch');
		const students = await (await admin.get('/admin/students?q=buyer')).text();
		expect(students).toContain('buyer@example.com');
		expect(students).toContain(`০ / ${lessons.length.toLocaleString('bn-BD')}`);
	});
});

/** The body of a CSV export, and whether it starts with the UTF-8 BOM (which res.text() would drop unseen). */
async function readCsv(res: Response): Promise<{ bom: boolean; csv: string }> {
	const bytes = new Uint8Array(await res.arrayBuffer());
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	return { bom, csv: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes) };
}

describe('exports and actions', () => {
	it('exports orders as CSV with formulas defused', async () => {
		const admin = await signIn(server, ADMIN);
		const res = await admin.get('/admin/export/orders');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/csv');
		expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"/);
		const { bom, csv } = await readCsv(res);
		expect(bom).toBe(true);
		expect(csv).toContain('"buyer@example.com"');
		expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
		expect(csv).not.toMatch(/(^|,)"=HYPERLINK/m);
		expect((await admin.get('/admin/export/nothing')).status).toBe(404);
	});

	it('exports the list with its consent evidence as CSV: every column, formulas defused, a BOM', async () => {
		const consentAt = Date.UTC(2026, 0, 2, 3, 4, 5);
		server.db
			.prepare(
				`insert into subscribers (email, name, status, consent_at, consent_page, consent_form, consent_ip,
				   consent_user_agent, consent_text_version, confirmed_at)
				 values ('list@example.com', '@SUM(1+1)', 'confirmed', ?, '/', 'signup-page', '203.0.113.7', ?, 'v1', ?)`
			)
			.run(consentAt, '=cmd|" /C calc"!A0', consentAt + 60_000);
		server.db.prepare("insert into suppressions (email, reason) values ('list@example.com', 'bounced')").run();
		const admin = await signIn(server, ADMIN);
		const res = await admin.get('/admin/export/subscribers');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/csv');
		expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"/);
		const { bom, csv } = await readCsv(res);
		expect(bom).toBe(true);
		const [header, ...rows] = csv.split('\r\n');
		expect(header).toBe(
			'"email","name","status","consent_at","consent_page","consent_form","consent_ip","consent_user_agent",' +
				'"consent_text_version","confirmed_at","unsubscribed_at","suppressed"'
		);
		expect(rows.find((r) => r.startsWith('"list@example.com"'))).toBe(
			`"list@example.com","'@SUM(1+1)","confirmed","2026-01-02T03:04:05.000Z","/","signup-page","203.0.113.7",` +
				`"'=cmd|"" /C calc""!A0","v1","2026-01-02T03:05:05.000Z","","bounced"`
		);
		expect(csv).not.toMatch(/(^|,)"[=+@-]/m);
	});

	it('answers 404 for every kind of export there is none of, names of Object.prototype included', async () => {
		const admin = await signIn(server, ADMIN);
		for (const kind of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'constructor.csv']) {
			const res = await admin.get(`/admin/export/${kind}`);
			expect(res.status, kind).toBe(404);
			expect(res.headers.get('content-type'), kind).not.toContain('text/csv');
		}
		for (const kind of ['orders', 'students', 'subscribers.csv'])
			expect((await admin.get(`/admin/export/${kind}`)).status, kind).toBe(200);
	});

	it('opens every lesson for one student, and puts them back on the schedule', async () => {
		const admin = await signIn(server, ADMIN);
		const student = await signIn(server, 'buyer@example.com');
		const userId = (server.db.prepare("select id from users where email = 'buyer@example.com'").get() as { id: number })
			.id;
		const path = `/lessons/${later.slug}`;
		expect(later.dripDay).toBeGreaterThan(1);
		expect((await student.get(path)).status).toBe(200);
		expect(await (await student.get(path)).text()).toContain('এই পাঠ খুলবে');

		const opened = await submit(admin, `/admin/students/${userId}?/open`);
		expect(opened.status).toBe(200);
		expect(await opened.text()).toContain('সব পাঠ খুলে দেওয়া হয়েছে');
		expect(await (await student.get(path)).text()).toContain(laterText[0]);

		await submit(admin, `/admin/students/${userId}?/schedule`);
		expect(await (await student.get(path)).text()).not.toContain(laterText[0]);
	});

	it('refuses the action to a student and to a cross-site form', async () => {
		const student = await signIn(server, 'buyer@example.com');
		const res = await submit(student, '/admin/students/1?/open');
		expect(res.status).toBe(404);
		const admin = await signIn(server, ADMIN);
		const forged = await submit(admin, '/admin/students/1?/open', {}, { origin: 'https://evil.example' });
		expect(forged.status).toBe(403);
		expect(
			(server.db.prepare('select all_lessons_open from enrolments').get() as { all_lessons_open: number })
				.all_lessons_open
		).toBe(0);
	});
});
