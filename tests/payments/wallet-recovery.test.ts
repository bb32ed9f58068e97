// A buyer who gave an email on /pay/<method> but sent no TrxID: with the page's unticked box ticked (or a confirmed
// subscription), one reminder with the payment details after the delay of the fixture's recovery/wallet.md; none once
// they claim or buy. Time moves by dating the outbox row, then one `npm run drip` pass sends to the fake Resend.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formatPrice } from '../../src/lib/format';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startDrip } from '../support/mail-env';
import { startServer, type TestServer } from '../support/server';
import { HTML, theCourse } from './setup';

const POSTAL = 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫';
const reminder = fixtureCourse().course.recovery.wallet!;
const bkash = theCourse.manualPayments.methods.find((m) => m.method === 'bkash')!;
let server: TestServer;
let resend: FakeResend;
let mailEnv: Record<string, string>;

beforeAll(async () => {
	resend = await startFakeResend();
	mailEnv = { RESEND_API_KEY: 're_test_wallet_recovery', RESEND_BASE_URL: resend.url, MAIL_POSTAL_ADDRESS: POSTAL };
	server = await startServer({ ...mailEnv, ADDRESS_HEADER: 'X-Forwarded-For' });
});
afterAll(async () => {
	await server?.stop();
	await resend?.close();
});

let nextIp = 1;
const from = () => ({ ...HTML, 'x-forwarded-for': `198.51.100.${nextIp++ % 250}` });

/** The buyer fills in their email (and maybe the box) and sends the form before sending the money. */
async function leaveForm(email: string, remind: boolean): Promise<{ status: number; page: string }> {
	const browser = new Browser(server.origin);
	const page = await (await browser.get('/pay/bkash')).text();
	const reference = /name="reference" value="([A-Z2-9]{6})"/.exec(page)?.[1] ?? '';
	const fields: Record<string, string> = { email, name: 'ক্রেতা', trx_id: '', sender: '', reference };
	if (remind) fields.remind = 'yes';
	const res = await browser.post('/pay/bkash', fields, from());
	return { status: res.status, page: await res.text() };
}

const reminderOf = (email: string) =>
	server.db
		.prepare(
			"select idempotency_key as key, status, due_at, last_error from outbox where to_email = ? and template = 'recovery/wallet'"
		)
		.all(email) as { key: string; status: string; due_at: number; last_error: string | null }[];

async function drip(): Promise<void> {
	const run = await startDrip({ DATABASE_PATH: server.dbPath, ORIGIN: server.origin, ...mailEnv }).done;
	expect(run.code, run.output).toBe(0);
}

const delayPasses = (key: string) =>
	server.db.prepare('update outbox set due_at = ? where idempotency_key = ?').run(Date.now() - 1, key);

test('the page offers the reminder box, unticked', async () => {
	const page = await (await fetch(`${server.origin}/pay/bkash`)).text();
	const box = /<input[^>]*name="remind"[^>]*>/.exec(page)?.[0];
	expect(box).toContain('type="checkbox"');
	expect(box).not.toContain('checked');
	expect(page).toContain('মনে করিয়ে দিন');
});

test('a started claim with the box ticked: one reminder with the payment details the next day', async () => {
	const email = 'later@example.com';
	const before = Date.now();
	const { status, page } = await leaveForm(email, true);
	expect(status).toBe(400);
	expect(page).toContain('মনে করিয়ে দেব');
	const start = server.db
		.prepare('select method, reference, remind_consent from wallet_starts where email = ?')
		.get(email) as {
		method: string;
		reference: string;
		remind_consent: number;
	};
	expect(start).toMatchObject({ method: 'bkash', remind_consent: 1 });
	const [queued] = reminderOf(email);
	expect(queued.status).toBe('pending');
	expect(queued.due_at).toBeGreaterThanOrEqual(before + reminder.delayMs);

	await drip();
	expect(resend.delivered.get(queued.key)).toBeUndefined();
	delayPasses(queued.key);
	await drip();
	expect(resend.delivered.get(queued.key)).toBe(1);
	const mail = resend.mails.get(queued.key)!;
	expect(mail.to).toEqual([email]);
	expect(mail.text).toContain(formatPrice(theCourse.manualPayments.bdtPrice! + bkash.fee, 'BDT'));
	expect(mail.text).toContain(bkash.number!);
	expect(mail.text).toContain(start.reference);
	expect(mail.text).toContain(`${server.origin}/pay/bkash?ref=${start.reference}`);
	expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
	expect(mail.text).toContain(POSTAL);
	expect(mail.text).toContain('মনে করিয়ে দিতে বলেছিলেন');

	// The link brings back the same reference code; leaving the form again sends no second reminder.
	expect(await (await fetch(`${server.origin}/pay/bkash?ref=${start.reference}`)).text()).toContain(
		`name="reference" value="${start.reference}"`
	);
	await leaveForm(email, true);
	expect(reminderOf(email)).toHaveLength(1);
});

test('without the box nothing is kept or queued; a confirmed subscriber gets the reminder anyway', async () => {
	await leaveForm('no.box@example.com', false);
	expect(server.db.prepare("select count(*) as n from wallet_starts where email = 'no.box@example.com'").get()).toEqual(
		{
			n: 0
		}
	);
	expect(reminderOf('no.box@example.com')).toEqual([]);

	server.db
		.prepare(
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at) values (?, 'confirmed', 1, '/', 'sales-page', '2026-11-bn-1', 1)"
		)
		.run('listed@example.com');
	await leaveForm('listed@example.com', false);
	const [queued] = reminderOf('listed@example.com');
	delayPasses(queued.key);
	await drip();
	expect(resend.mails.get(queued.key)?.text).toContain('ইমেইল তালিকায় আছেন');
});

test('a buyer who sends the TrxID before the reminder is due gets none', async () => {
	const email = 'paid.soon@example.com';
	await leaveForm(email, true);
	const [queued] = reminderOf(email);
	const browser = new Browser(server.origin);
	const claim = await browser.post(
		'/pay/bkash',
		{ email, name: 'ক্রেতা', trx_id: 'BPAID12345', sender: '01712345678' },
		from()
	);
	expect(claim.status).toBe(200);
	delayPasses(queued.key);
	await drip();
	expect(reminderOf(email)).toEqual([
		expect.objectContaining({ status: 'skipped', last_error: 'the payment was claimed' })
	]);
	expect(resend.delivered.get(queued.key)).toBeUndefined();
});
