// POST /api/payments/sms over real HTTP: a signed, forwarded wallet SMS approves the matching claim (before or after
// the claim comes); everything else approves nothing, and what was stored stays visible on /admin/payments.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';
import { count, HTML, theCourse } from './setup';

let server: TestServer;
const SECRET = 'sms-forwarder-shared-secret';
const ADMIN = 'seller@example.com';
const price = theCourse.manualPayments.bdtPrice!;
const taka = (poisha: number) => (poisha / 100).toFixed(2);

beforeAll(async () => {
	server = await startServer({ PAYMENT_SMS_SECRET: SECRET, ADMIN_EMAILS: ADMIN, ADDRESS_HEADER: 'X-Forwarded-For' });
});
afterAll(async () => {
	await server?.stop();
});

/**
 * Received-money messages in the shapes of the samples in wallet-sms-samples.ts (bKash from
 * mdsajib1473/expense-tracker-bd, Nagad and Rocket from mrahmann0010/Nihonova-Payment-Gateway), with our TrxID and amount.
 */
const MESSAGES = {
	bkash: (trx: string, amount: number) => ({
		sender: 'bKash',
		text: `You have received Tk ${taka(amount)} from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID ${trx} at 30/12/2024 13:22`
	}),
	nagad: (trx: string, amount: number) => ({
		sender: 'NAGAD',
		text: `Money Received.\nAmount: Tk ${taka(amount)}\nSender: 01634358056\nRef: Saom\nTxnID: ${trx}\nBalance: Tk 1289.43\n08/06/2026 19:00`
	}),
	rocket: (trx: string, amount: number) => ({
		sender: '16216',
		text: `Tk${taka(amount)} received from A/C:***515 Fee:Tk0, Your A/C Balance: Tk1,145.85\nTxnId:${trx} Date:08-JUN-26 06:21:43 am. Download https://bit.ly/nexuspay`
	})
};

let n = 0;
const trxFor = {
	bkash: () => `BK${String(++n).padStart(8, '0')}`,
	nagad: () => `NG${String(++n).padStart(6, '0')}`,
	rocket: () => `77${String(++n).padStart(8, '0')}`
};

function signed(body: string, { secret = SECRET, at = Math.floor(Date.now() / 1000) } = {}): Record<string, string> {
	const signature = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
	return { 'content-type': 'application/json', 'x-timestamp': String(at), 'x-signature': `sha256=${signature}` };
}

async function forward(
	message: { sender: string; text: string },
	options: { secret?: string; at?: number; body?: string } = {}
): Promise<Response> {
	const body = options.body ?? JSON.stringify({ ...message, received_at: new Date().toISOString() });
	return fetch(`${server.origin}/api/payments/sms`, { method: 'POST', body, headers: signed(body, options) });
}

async function claim(method: 'bkash' | 'nagad' | 'rocket', trx: string, email: string): Promise<string> {
	const res = await new Browser(server.origin).post(
		`/pay/${method}`,
		{ email, trx_id: trx, sender: '01712345678' },
		{ ...HTML, 'x-forwarded-for': `192.0.2.${++n % 250}` }
	);
	expect(res.status).toBe(200);
	return res.text();
}

const claimStatus = (trx: string) =>
	server.db.prepare('select status, decided_by from wallet_claims where trx_id = ?').get(trx) as {
		status: string;
		decided_by: string | null;
	};
const messages = (trx: string) => count(server.db, 'wallet_messages', `trx_id = '${trx}'`);

async function welcomed(email: string): Promise<boolean> {
	for (let i = 0; i < 200; i++) {
		if (count(server.db, 'demo_mailbox', `to_email = '${email}' and subject like 'আপনার কোর্স প্রস্তুত%'`)) return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

describe.each(['bkash', 'nagad', 'rocket'] as const)('a %s message', (method) => {
	it('approves the pending claim it matches, with no admin', async () => {
		const trx = trxFor[method]();
		const email = `sms.${method}@example.com`;
		await claim(method, trx, email);
		expect(claimStatus(trx).status).toBe('pending');
		const res = await forward(MESSAGES[method](trx, price));
		expect(res.status).toBe(200);
		expect(claimStatus(trx)).toEqual({ status: 'approved', decided_by: 'sms' });
		expect(await welcomed(email)).toBe(true);
		expect(count(server.db, 'orders', `buyer_email = '${email}' and method = '${method}'`)).toBe(1);
	});

	it('that came before the claim approves it when the claim comes', async () => {
		const trx = trxFor[method]();
		const email = `early.${method}@example.com`;
		expect((await forward(MESSAGES[method](trx, price + 1000))).status).toBe(200);
		expect(messages(trx)).toBe(1);
		const page = await claim(method, trx, email);
		expect(page).toContain('কোর্সটি খুলে গেছে');
		expect(claimStatus(trx).status).toBe('approved');
		expect(await welcomed(email)).toBe(true);
	});
});

describe('messages that approve nothing', () => {
	it('an amount under the price, or a TrxID of another method: the claim waits, the message is kept for the seller', async () => {
		const short = trxFor.bkash();
		await claim('bkash', short, 'short@example.com');
		expect((await forward(MESSAGES.bkash(short, price - 100))).status).toBe(200);
		expect(claimStatus(short).status).toBe('pending');

		// A Nagad message carrying a bKash claim's TrxID is another wallet's payment.
		const crossed = trxFor.bkash();
		await claim('bkash', crossed, 'crossed@example.com');
		expect((await forward(MESSAGES.nagad(crossed, price))).status).toBe(200);
		expect(server.db.prepare('select method from wallet_messages where trx_id = ?').get(crossed)).toEqual({
			method: 'nagad'
		});
		expect(claimStatus(crossed).status).toBe('pending');

		const desk = await signIn(server, ADMIN);
		const page = await (await desk.get('/admin/payments')).text();
		expect(page).toContain(short);
		expect(page).toContain('less than the price');
	});

	it('the same message forwarded again: 200, stored once, nothing more', async () => {
		const trx = trxFor.rocket();
		const body = JSON.stringify({ ...MESSAGES.rocket(trx, price), received_at: '2026-06-08T06:22:00+06:00' });
		const at = Math.floor(Date.now() / 1000);
		expect((await forward(MESSAGES.rocket(trx, price), { body, at })).status).toBe(200);
		expect((await forward(MESSAGES.rocket(trx, price), { body, at })).status).toBe(200);
		expect(messages(trx)).toBe(1);
	});

	it('a bad signature or a stale timestamp: 401 and nothing stored', async () => {
		const trx = trxFor.bkash();
		await claim('bkash', trx, 'forged@example.com');
		const before = count(server.db, 'wallet_messages');
		expect((await forward(MESSAGES.bkash(trx, price), { secret: 'guessed' })).status).toBe(401);
		expect((await forward(MESSAGES.bkash(trx, price), { at: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
		expect((await forward(MESSAGES.bkash(trx, price), { at: Math.floor(Date.now() / 1000) + 600 })).status).toBe(401);
		const unsigned = await fetch(`${server.origin}/api/payments/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ...MESSAGES.bkash(trx, price), received_at: new Date().toISOString() })
		});
		expect(unsigned.status).toBe(401);
		expect(count(server.db, 'wallet_messages')).toBe(before);
		expect(claimStatus(trx).status).toBe('pending');
	});

	it('an unparseable message is stored and shown; a malformed body is a 400 with nothing stored', async () => {
		const otp = { sender: 'bKash', text: 'Your bKash verification code is 123456. Do not share it.' };
		expect((await forward(otp)).status).toBe(200);
		expect(count(server.db, 'wallet_messages', "text like 'Your bKash verification code%'")).toBe(1);

		const before = count(server.db, 'wallet_messages');
		for (const body of ['not json', '{}', JSON.stringify({ sender: 'bKash', text: 'x', received_at: 'yesterday' })])
			expect((await forward(otp, { body })).status, body).toBe(400);
		expect(count(server.db, 'wallet_messages')).toBe(before);
	});
});

it('answers 404 when PAYMENT_SMS_SECRET is unset', async () => {
	const plain = await startServer();
	try {
		const body = JSON.stringify({ sender: 'bKash', text: 'x', received_at: new Date().toISOString() });
		const res = await fetch(`${plain.origin}/api/payments/sms`, { method: 'POST', body, headers: signed(body) });
		expect(res.status).toBe(404);
	} finally {
		await plain.stop();
	}
});
