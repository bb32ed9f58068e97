// The list on the seller's desk over real HTTP: counts, the consent record, retry / stop / suppress / unsuppress
// (confirmed where they cannot be undone, audited), and the CSV import with its preview, all or nothing, mailing nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { Browser } from '../support/http';
import { startDrip } from '../support/mail-env';
import { startServer, type TestServer } from '../support/server';
import { addUser, outcome, signIn, submit } from '../support/students';
import { carried } from '../support/list-import';

const ADMIN = 'seller@example.com';
let server: TestServer;
let fake: FakeResend;

beforeAll(async () => {
	fake = await startFakeResend();
	server = await startServer({
		ADMIN_EMAILS: ADMIN,
		RESEND_API_KEY: 're_test_list',
		RESEND_BASE_URL: fake.url,
		MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫'
	});
	addUser(server.db, 'reader@example.com', 'পাঠক');
	server.db
		.prepare(
			`insert into enrolments (user_id, status) select id, 'active' from users where email = 'reader@example.com'`
		)
		.run();
});
afterAll(async () => {
	await server?.stop();
	await fake?.close();
});

/** `npm run drip` on the server's database, sending through the same fake Resend. */
const dripEnv = (): Record<string, string> => ({
	DATABASE_PATH: server.dbPath,
	ORIGIN: server.origin,
	RESEND_API_KEY: 're_test_list',
	RESEND_BASE_URL: fake.url,
	MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫'
});

/** Every address the fake Resend delivered a mail to that starts with prefix, sorted. */
const mailedTo = (prefix: string): string[] =>
	[...fake.mails.values()]
		.flatMap((m) => m.to)
		.filter((to) => to.startsWith(prefix))
		.sort();

const count = (sql: string, ...args: unknown[]): number => (server.db.prepare(sql).get(...args) as { n: number }).n;

function addSubscriber(email: string, name: string | null, status = 'confirmed', form = 'sales-page'): void {
	server.db
		.prepare(
			`insert into subscribers (email, name, status, consent_at, consent_page, consent_form, consent_text_version,
			   consent_ip, confirmed_at) values (?, ?, ?, ?, '/', ?, '2026-12-bn-2', '203.0.113.9', ?)`
		)
		.run(email, name, status, Date.now(), form, status === 'confirmed' ? Date.now() : null);
}

/** The preview's rows: verdict (the row's class) and the cells' text, in file order. */
function previewRows(html: string): { verdict: string; text: string }[] {
	return [...html.matchAll(/<tr data-verdict="(\w+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
		verdict: m[1],
		text: m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
	}));
}

const snapshot = (): number[] =>
	['subscribers', 'subscriber_imports', 'audit_log', 'outbox', 'sequence_runs', 'suppressions'].map((t) =>
		count(`select count(*) n from ${t}`)
	);

describe('who gets in', () => {
	it('answers the list, the import page, their __data.json and every action with 404 to a student', async () => {
		const pages = ['/admin/list', '/admin/list/import'];
		const gets = pages.flatMap((p) => [p, `${p}/__data.json`, `${p}?q=reader&status=confirmed`]);
		const posts = [
			...['retry', 'stop', 'suppress', 'unsuppress'].map((a) => `/admin/list?/${a}`),
			...['preview', 'confirm', 'start'].map((a) => `/admin/list/import?/${a}`)
		];
		const anonymous = new Browser(server.origin);
		const student = await signIn(server, 'reader@example.com');
		const admin = await signIn(server, ADMIN);
		for (const path of gets) {
			const a = await outcome(await anonymous.get(path));
			expect([a.status, a.location?.startsWith('/login?next=')], path).toEqual([303, true]);
			expect((await outcome(await student.get(path))).status, path).toBe(404);
			const res = await admin.get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('cache-control'), path).toContain('no-store');
		}
		const before = snapshot();
		const fields = { id: '1', email: 'reader@example.com', reason: 'x', confirm: '1', csv: 'email\nx@example.com' };
		for (const path of posts) {
			expect((await submit(anonymous, path, fields)).status, path).toBe(303);
			expect((await submit(student, path, fields)).status, path).toBe(404);
			const file = { file: { name: 'a.csv', bytes: 'email\nx@example.com\n' } };
			expect((await student.upload(path, file)).status, path).toBe(404);
		}
		expect(snapshot()).toEqual(before);
		expect(await (await admin.get('/admin')).text()).toContain('href="/admin/list"');
	});
});

describe('the list', () => {
	it('counts by status and by source, and shows each consent record without an IP address', async () => {
		addSubscriber('shown@example.com', 'দেখা যায়');
		addSubscriber('waiting@example.com', null, 'pending', 'lesson-end');
		server.db.prepare("insert into suppressions (email, reason) values ('waiting@example.com', 'bounced')").run();
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get('/admin/list')).text();
		expect(html).toContain('shown@example.com');
		expect(html).toContain('বিক্রির পাতা');
		expect(html).not.toContain('203.0.113.9');
		const bounced = await (await admin.get('/admin/list?status=bounced')).text();
		expect(bounced).toContain('waiting@example.com');
		expect(bounced).not.toContain('shown@example.com');
		const bySource = await (await admin.get('/admin/list?source=lesson-end')).text();
		expect(bySource).toContain('waiting@example.com');
		expect(bySource).not.toContain('shown@example.com');
		expect(await (await admin.get('/admin/list?q=shown')).text()).not.toContain('waiting@example.com');
	});

	it("counts each sequence step's mails, and who unsubscribed after it", async () => {
		const sent = server.db.prepare(
			`insert into outbox (idempotency_key, template, to_email, marketing, status, run_id, sent_at)
			 values (?, ?, ?, 1, 'sent', 1, ?)`
		);
		const hour = 3_600_000;
		const now = Date.now();
		sent.run('lead:01:gone', 'lead/01-welcome', 'gone@example.com', now - 3 * hour);
		sent.run('lead:02:gone', 'lead/02-measure-water', 'gone@example.com', now - 2 * hour);
		sent.run('lead:01:stays', 'lead/01-welcome', 'stays@example.com', now - 2 * hour);
		server.db
			.prepare("insert into suppressions (email, reason, created_at) values ('gone@example.com', 'unsubscribed', ?)")
			.run(now - hour);
		const html = await (await (await signIn(server, ADMIN)).get('/admin/list')).text();
		const cells = (step: string): string[] =>
			[
				...(new RegExp(`${step}</span></td>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '').matchAll(
					/<td[^>]*>([^<]*)<\/td>/g
				)
			].map((m) => m[1]);
		// sent, failed, skipped, unsubscribed after: the address left after step 02, its last mail.
		expect(cells('lead/01-welcome')).toEqual(['২', '০', '০', '০']);
		expect(cells('lead/02-measure-water')).toEqual(['১', '০', '০', '১']);
		server.db
			.prepare("delete from outbox where idempotency_key in ('lead:01:gone', 'lead:02:gone', 'lead:01:stays')")
			.run();
		server.db.prepare("delete from suppressions where email = 'gone@example.com'").run();
	});
});

describe('actions on the list', () => {
	it('retries a failed mail, stops a sequence, suppresses and unsuppresses, each audited', async () => {
		const admin = await signIn(server, ADMIN);
		const failed = server.db
			.prepare(
				`insert into outbox (idempotency_key, template, to_email, params, status, attempts, last_error)
				 values ('login:failed-1', 'login-link', 'nobody@example.com', '{"next":"/course","browser":null}', 'failed', 5,
				   'provider refused: 422') returning id`
			)
			.get() as { id: number };
		const page = await (await admin.get('/admin/list')).text();
		expect(page).toContain('provider refused: 422');
		expect((await submit(admin, '/admin/list?/retry', { id: String(failed.id) })).status).toBe(200);
		// Back in the queue, and the sender woken: pending, or already sent through the fake Resend.
		const { status } = server.db.prepare('select status from outbox where id = ?').get(failed.id) as { status: string };
		expect(['pending', 'sent']).toContain(status);
		const sent = server.db
			.prepare(
				`insert into outbox (idempotency_key, template, to_email, status) values ('x:sent', 'welcome', 'x@example.com', 'sent')
				 returning id`
			)
			.get() as { id: number };
		expect((await submit(admin, '/admin/list?/retry', { id: String(sent.id) })).status).toBe(404);

		addSubscriber('stopme@example.com', 'থামুন');
		const run = server.db
			.prepare(
				`insert into sequence_runs (sequence, email, started_at) values ('lead', 'stopme@example.com', ?) returning id`
			)
			.get(Date.now()) as { id: number };
		server.db
			.prepare(
				`insert into outbox (idempotency_key, template, to_email, marketing, due_at, run_id)
				 values ('lead:02:stopme', 'lead/02-measure-water', 'stopme@example.com', 1, ?, ?)`
			)
			.run(Date.now() + 86_400_000, run.id);
		const ask = await submit(admin, '/admin/list?/stop', { email: 'stopme@example.com' });
		expect(await ask.text()).toContain('হ্যাঁ, থামান');
		expect(count("select count(*) n from sequence_runs where status = 'active' and id = ?", run.id)).toBe(1);
		expect((await submit(admin, '/admin/list?/stop', { email: 'stopme@example.com', confirm: '1' })).status).toBe(400);
		const stop = { email: 'stopme@example.com', confirm: '1', reason: 'উত্তরে থামাতে বলেছেন' };
		expect((await submit(admin, '/admin/list?/stop', stop)).status).toBe(200);
		expect(count("select count(*) n from sequence_runs where status = 'stopped' and id = ?", run.id)).toBe(1);
		expect(count("select count(*) n from outbox where run_id = ? and status = 'stopped'", run.id)).toBe(1);

		const suppress = { email: 'shown@example.com', confirm: '1', reason: 'অনুরোধে বাদ' };
		expect(await (await submit(admin, '/admin/list?/suppress', { email: suppress.email })).text()).toContain(
			'হ্যাঁ, মেইল বন্ধ করুন'
		);
		expect(count("select count(*) n from suppressions where email = 'shown@example.com'")).toBe(0);
		expect((await submit(admin, '/admin/list?/suppress', suppress)).status).toBe(200);
		expect(server.db.prepare("select status from subscribers where email = 'shown@example.com'").get()).toEqual({
			status: 'unsubscribed'
		});
		expect(count("select count(*) n from suppressions where email = 'shown@example.com'")).toBe(1);
		const lift = { ...suppress, reason: 'ভুল করে বন্ধ হয়েছিল' };
		expect((await submit(admin, '/admin/list?/unsuppress', lift)).status).toBe(200);
		expect(server.db.prepare("select status from subscribers where email = 'shown@example.com'").get()).toEqual({
			status: 'confirmed'
		});
		expect(count("select count(*) n from suppressions where email = 'shown@example.com'")).toBe(0);

		// A reader's own unsubscribe is theirs to undo, not the seller's.
		addSubscriber('left@example.com', null, 'unsubscribed');
		server.db
			.prepare("insert into suppressions (email, reason, detail) values ('left@example.com', 'unsubscribed', 'link')")
			.run();
		const own = { email: 'left@example.com', confirm: '1', reason: 'আবার চাই' };
		expect((await submit(admin, '/admin/list?/unsuppress', own)).status).toBe(409);
		expect(count("select count(*) n from suppressions where email = 'left@example.com'")).toBe(1);

		const audit = server.db.prepare('select action, actor, before, after, reason from audit_log order by id').all();
		expect(audit.map((a) => (a as { action: string }).action)).toEqual([
			'retry-mail',
			'stop-sequence',
			'suppress',
			'unsuppress'
		]);
		for (const a of audit as { actor: string; before: string | null; after: string | null }[])
			expect([a.actor, typeof a.before, typeof a.after]).toEqual([ADMIN, 'string', 'string']);
		const log = await (await admin.get('/admin/audit')).text();
		for (const words of ['মেইল আবার পাঠানো', 'সিকোয়েন্স থামানো', 'মেইল বন্ধ', 'মেইল আবার চালু', 'ভুল করে বন্ধ হয়েছিল'])
			expect(log).toContain(words);
	});
});

describe('CSV import', () => {
	it('round-trips Bengali names through the export and an import', async () => {
		const admin = await signIn(server, ADMIN);
		const names = {
			'rahima@example.com': 'রহিমা খাতুন',
			'kamal@example.com': 'কামাল "বাবু" হোসেন, ঢাকা',
			'formula@example.com': '=ভাগ(১,২)'
		};
		for (const [email, name] of Object.entries(names)) addSubscriber(email, name);
		const exported = await (await admin.get('/admin/export/subscribers')).arrayBuffer();
		server.db
			.prepare(
				`delete from subscribers where email in (${Object.keys(names)
					.map(() => '?')
					.join(', ')})`
			)
			.run(...Object.keys(names));

		const file = { name: 'subscribers-export.csv', bytes: new Uint8Array(exported) };
		const preview = await admin.upload('/admin/list/import?/preview', { file });
		expect(preview.status).toBe(200);
		const html = await preview.text();
		const rows = previewRows(html);
		for (const email of Object.keys(names))
			expect(rows.find((r) => r.text.includes(email))?.verdict, email).toBe('added');
		expect(count('select count(*) n from subscriber_imports')).toBe(0);

		const done = await admin.upload('/admin/list/import?/confirm', carried(html));
		expect(done.status).toBe(200);
		for (const [email, name] of Object.entries(names))
			expect(server.db.prepare('select name from subscribers where email = ?').get(email), email).toEqual({ name });
		const record = server.db.prepare("select * from subscribers where email = 'rahima@example.com'").get();
		expect(record).toMatchObject({
			status: 'confirmed',
			consent_form: 'import',
			consent_page: 'subscribers-export.csv',
			consent_text_version: 'imported',
			consent_ip: null
		});
		const shown = await (await admin.get('/admin/list?q=rahima')).text();
		expect(shown).toContain('CSV থেকে আনা: subscribers-export.csv');
	});

	it('reports every bad row and, when cancelled, changes nothing', async () => {
		addSubscriber('already@example.com', 'আগের জন');
		server.db.prepare("insert into suppressions (email, reason) values ('blocked@example.com', 'complained')").run();
		const admin = await signIn(server, ADMIN);
		const csv =
			'\ufeff"Email Address","First Name","Last Name"\r\n' +
			'new.one@example.com,নতুন,"সদস্য, এক"\r\n' +
			'not-an-address,ভুল,ঠিকানা\r\n' +
			'New.One@Example.com,আবার,একই\r\n' +
			'blocked@example.com,বন্ধ,ঠিকানা\r\n' +
			'already@example.com,আগের,জন\r\n' +
			'\r\n';
		const before = snapshot();
		const res = await admin.upload('/admin/list/import?/preview', { file: { name: 'mailchimp.csv', bytes: csv } });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(
			previewRows(html).map((r) => [r.verdict, r.text.includes('@') || r.text.includes('not-an-address')])
		).toEqual([
			['added', true],
			['invalid', true],
			['duplicate', true],
			['suppressed', true],
			['exists', true]
		]);
		expect(previewRows(html)[0].text).toContain('নতুন সদস্য, এক');
		for (const words of ['যোগ হবে', 'ঠিকানা ভুল', 'ফাইলে দুবার', 'মেইল বন্ধ করা ঠিকানা', 'আগেই আছে'])
			expect(html).toContain(words);
		// Cancelling is leaving the preview: the import page again, nothing written.
		expect((await admin.get('/admin/list/import')).status).toBe(200);
		expect(snapshot()).toEqual(before);
	});

	it('refuses unusable files with a Bengali message, never a 500, and writes nothing', async () => {
		const admin = await signIn(server, ADMIN);
		const before = snapshot();
		const rows = (n: number): string =>
			`email,name\n${Array.from({ length: n }, (_, i) => `r${i}@example.com,x`).join('\n')}`;
		const files: [string, Uint8Array<ArrayBuffer> | string, string][] = [
			['latin1.csv', new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x40, 0x78, 0x2e, 0x63, 0x6f]), 'UTF-8'],
			['many.csv', rows(5001), '৫,০০০'],
			['big.csv', `email,name\n${'a@example.com,' + 'ক'.repeat(200_000)}\n`, '৫১২ KB'],
			['huge.csv', 'email\n' + 'x'.repeat(1_200_000), '৫১২ KB'],
			['quote.csv', 'email,name\n"a@example.com,unclosed\n', 'CSV'],
			['nocolumn.csv', 'name,phone\nরহিম,017\n', 'email'],
			['empty.csv', '', 'CSV ফাইল'],
			['binary.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), 'CSV']
		];
		for (const [name, bytes, words] of files) {
			const res = await admin.upload('/admin/list/import?/preview', { file: { name, bytes } });
			expect(res.status, name).toBe(400);
			expect(await res.text(), name).toContain(words);
		}
		expect(snapshot()).toEqual(before);
	});

	it('mails nobody it imports until the seller starts the lead sequence for the import', async () => {
		const admin = await signIn(server, ADMIN);
		const csv = 'email,first_name\nkit.one@example.com,কিট\nkit.two@example.com,\n';
		const preview = await (
			await admin.upload('/admin/list/import?/preview', { file: { name: 'kit.csv', bytes: csv } })
		).text();
		expect((await admin.upload('/admin/list/import?/confirm', carried(preview))).status).toBe(200);
		expect(count("select count(*) n from subscribers where email like 'kit.%'")).toBe(2);
		expect(count("select count(*) n from outbox where to_email like 'kit.%'")).toBe(0);

		const drip = await startDrip(dripEnv()).done;
		expect(drip.code, drip.output).toBe(0);
		expect(mailedTo('kit.')).toEqual([]);

		const id = (
			server.db.prepare("select id from subscriber_imports where file_name = 'kit.csv'").get() as { id: number }
		).id;
		const ask = await submit(admin, '/admin/list/import?/start', { id: String(id) });
		expect(await ask.text()).toContain('হ্যাঁ, শুরু করুন');
		expect(count("select count(*) n from sequence_runs where email like 'kit.%'")).toBe(0);
		expect((await submit(admin, '/admin/list/import?/start', { id: String(id), confirm: '1' })).status).toBe(200);
		expect(count("select count(*) n from sequence_runs where email like 'kit.%'")).toBe(2);
		// The control: once started, the same sender does deliver the first lead mail to both.
		const again = await startDrip(dripEnv()).done;
		expect(again.code, again.output).toBe(0);
		expect(mailedTo('kit.')).toEqual(['kit.one@example.com', 'kit.two@example.com']);
		expect(count("select count(*) n from audit_log where action = 'start-import-sequence'")).toBe(1);
	});
});
