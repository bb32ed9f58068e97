// The seller's side of wallet payments over real HTTP: a CSV statement previewed then applied, revenue by method on
// /admin, and the daily digest (and the flag) for claims that have waited too long.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrice } from '../../src/lib/format';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';
import { count, HTML, theCourse } from './setup';

let server: TestServer;
const ADMIN = 'seller@example.com';
const price = theCourse.manualPayments.bdtPrice!;
const taka = (poisha: number) => (poisha / 100).toFixed(2);

beforeAll(async () => {
	// The in-process scheduler ticks every second: its timed passes send the digest of claims that wait.
	server = await startServer({ ADMIN_EMAILS: ADMIN, ADDRESS_HEADER: 'X-Forwarded-For', DRIP_INTERVAL_SECONDS: '1' });
});
afterAll(async () => {
	await server?.stop();
});

let n = 0;
async function claim(trx: string, email: string): Promise<void> {
	const res = await new Browser(server.origin).post(
		'/pay/bkash',
		{ email, trx_id: trx, sender: '01712345678' },
		{ ...HTML, 'x-forwarded-for': `192.0.2.${++n}` }
	);
	expect(res.status).toBe(200);
}
const status = (trx: string) =>
	server.db.prepare('select status, decided_by from wallet_claims where trx_id = ?').get(trx) as {
		status: string;
		decided_by: string | null;
	};

async function upload(desk: Browser, csv: string): Promise<Response> {
	const form = new FormData();
	form.set('statement', new File([csv], 'statement.csv', { type: 'text/csv' }));
	return fetch(`${server.origin}/admin/payments?/statement`, {
		method: 'POST',
		body: form,
		headers: { cookie: desk.cookieHeader(), origin: server.origin, accept: 'text/html' }
	});
}

describe('a statement', () => {
	it('is previewed without approving anything, then approves the rows that pay at least the price', async () => {
		await claim('STMTPAID01', 'statement.paid@example.com');
		await claim('STMTSHORT1', 'statement.short@example.com');
		const csv = [
			'Transaction ID,Date,Time,Type,Sender,Amount,Balance',
			`STMTPAID01,30/11/2026,13:22,Received,01712345678,"${taka(price)}","6,075.50"`,
			`STMTSHORT1,30/11/2026,13:25,Received,01712345678,"${taka(price - 1000)}","6,075.50"`,
			`NOSUCHTRX1,30/11/2026,13:30,Received,01712345678,"${taka(price)}","6,075.50"`
		].join('\n');
		const desk = await signIn(server, ADMIN);

		const preview = await upload(desk, csv);
		expect(preview.status).toBe(200);
		const page = await preview.text();
		expect(page).toContain('অনুমোদন হবে');
		expect(page).toContain('কোনো আবেদন নেই');
		expect(page).toContain('টাকা দামের চেয়ে কম');
		expect(status('STMTPAID01').status).toBe('pending');

		const applied = await desk.post('/admin/payments?/applyStatement', { csv }, HTML);
		expect(applied.status).toBe(200);
		expect(status('STMTPAID01')).toEqual({ status: 'approved', decided_by: `statement:${ADMIN}` });
		expect(status('STMTSHORT1').status).toBe('pending');
		// Applying it again approves nothing twice.
		await desk.post('/admin/payments?/applyStatement', { csv }, HTML);
		expect(count(server.db, 'orders', "buyer_email = 'statement.paid@example.com'")).toBe(1);
	});

	it('an empty upload is a Bengali 400', async () => {
		const desk = await signIn(server, ADMIN);
		const res = await upload(desk, '');
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('CSV স্টেটমেন্ট ফাইল বেছে নিন');
	});
});

it('/admin shows revenue by method, wallets in taka', async () => {
	const desk = await signIn(server, ADMIN);
	const page = await (await desk.get('/admin')).text();
	expect(page).toContain('কীভাবে টাকা এসেছে');
	expect(page).toMatch(new RegExp(`বিকাশ</strong>: ${formatPrice(price, 'BDT')}`));
});

it('a claim waiting more than two days is flagged, and the seller gets one digest a day', async () => {
	const old = Date.now() - 3 * 24 * 60 * 60 * 1000;
	server.db
		.prepare(
			`insert into wallet_claims (method, trx_id, amount, sender, email, reference, created_at)
			 values ('nagad', 'OLDCLAIM', ?, '01812345678', 'slow@example.com', 'ABCDEF', ?)`
		)
		.run(price, old);
	// The scheduler's next tick finds the claim that waits; a new claim meanwhile changes nothing.
	await claim('WAKEUP0001', 'wake.one@example.com');
	let digests = 0;
	for (let i = 0; i < 200 && !digests; i++) {
		digests = count(server.db, 'demo_mailbox', `to_email = '${ADMIN}' and subject like '%পেমেন্ট যাচাইয়ের অপেক্ষায়'`);
		await new Promise((r) => setTimeout(r, 50));
	}
	expect(digests).toBe(1);
	await claim('WAKEUP0002', 'wake.two@example.com');
	expect(count(server.db, 'outbox', "template = 'wallet-digest'")).toBe(1);

	const desk = await signIn(server, ADMIN);
	expect(await (await desk.get('/admin/payments')).text()).toContain('২ দিনের বেশি অপেক্ষায়');
});
