// Paying by bKash, Nagad, Rocket or bank transfer over real HTTP: the claim, its receipt, the pending state, the
// seller's approval through the same fulfilment as a card sale, rejection, revocation, duplicates and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrice } from '../../src/lib/format';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { outcome, signIn } from '../support/students';
import { count, HTML, theCourse } from './setup';

let server: TestServer;
const ADMIN = 'seller@example.com';
const { methods, bdtPrice } = theCourse.manualPayments;
const paid = theCourse.lessons.find((l) => !l.free && l.dripDay === 0)!;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN, ADDRESS_HEADER: 'X-Forwarded-For' });
});
afterAll(async () => {
	await server?.stop();
});

let nextIp = 1;
/** Each claim from its own address unless one is given, so the per-address limit only bites where a test wants it. */
const from = (ip = `203.0.113.${nextIp++ % 250}`) => ({ ...HTML, 'x-forwarded-for': ip });

const TRX: Record<string, () => string> = {
	bkash: () => `B${Math.random().toString(36).slice(2, 11).toUpperCase().padEnd(9, 'X')}`,
	nagad: () => `N${Math.random().toString(36).slice(2, 9).toUpperCase().padEnd(7, 'X')}`,
	rocket: () => String(Math.floor(1e9 + Math.random() * 8e9)),
	bank: () => `REF-${Math.floor(Math.random() * 1e8)}`
};
const SENDER: Record<string, string> = {
	bkash: '01712345678',
	nagad: '০১৮১২৩৪৫৬৭৮',
	rocket: '+880 1912-345678',
	bank: 'AC 0012 3456'
};

function claimFields(method: string, email: string, trx = TRX[method]()) {
	return { email, name: 'ক্রেতা', trx_id: trx, sender: SENDER[method] };
}

async function mailText(to: string, subject: string): Promise<string> {
	for (let i = 0; i < 200; i++) {
		const row = server.db
			.prepare('select text from demo_mailbox where to_email = ? and subject like ? order by id desc limit 1')
			.get(to, `${subject}%`) as { text: string } | undefined;
		if (row) return row.text;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no mail "${subject}" for ${to}`);
}

const claimOf = (trx: string) =>
	server.db.prepare('select * from wallet_claims where trx_id = ?').get(trx.toUpperCase()) as
		{ id: number; status: string; order_id: number | null; decided_by: string | null; reference: string } | undefined;

async function admin(): Promise<Browser> {
	return signIn(server, ADMIN);
}

it('the fixture offers every method, and the sales page offers them before the card', async () => {
	expect(methods.map((m) => m.method).sort()).toEqual(['bank', 'bkash', 'nagad', 'rocket']);
	const page = await (await fetch(`${server.origin}/`)).text();
	for (const m of methods) expect(page).toContain(`href="/pay/${m.method}"`);
	expect(page.indexOf('/pay/bkash')).toBeLessThan(page.indexOf('action="/checkout"'));
});

describe.each(methods.map((m) => m.method))('paying by %s', (method) => {
	const m = methods.find((x) => x.method === method)!;
	const email = `${method}.buyer@example.com`;
	let trx = '';

	it('shows the amount with the fee, the account and a reference, in Bengali', async () => {
		const res = await fetch(`${server.origin}/pay/${method}`);
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain(formatPrice(bdtPrice! + m.fee, 'BDT'));
		if (m.number) expect(page).toContain(m.number.replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]));
		if (m.bank) expect(page).toContain(m.bank.accountNumber);
		expect(page).toMatch(/name="reference" value="[A-Z2-9]{6}"/);
		for (const field of ['email', 'name', 'trx_id', 'sender']) expect(page).toContain(`name="${field}"`);
	});

	it('a claim is pending, mails a receipt, and the buyer sees it on /course; nothing is granted yet', async () => {
		const fields = claimFields(method, email);
		trx = fields.trx_id;
		const buyer = new Browser(server.origin);
		const res = await buyer.post(`/pay/${method}`, fields, from());
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('যাচাই করা হচ্ছে');
		const claim = claimOf(trx)!;
		expect(claim.status).toBe('pending');
		expect(count(server.db, 'orders', `buyer_email = '${email}'`)).toBe(0);
		expect(await mailText(email, 'আপনার পেমেন্টের তথ্য পেয়েছি')).toContain(trx.toUpperCase());

		const signedIn = await signIn(server, email);
		const course = await outcome(await signedIn.get('/course'));
		expect(course.status).toBe(403);
		expect(course.body).toContain('পেমেন্ট যাচাই করা হচ্ছে');
		expect((await outcome(await signedIn.get(`/lessons/${paid.slug}`))).body).not.toContain(paid.html.slice(0, 60));
	});

	it('the seller approves it in one tap: a welcome mail, an order of its method, and the course opens', async () => {
		const claim = claimOf(trx)!;
		const desk = await admin();
		const list = await desk.get('/admin/payments');
		expect(await list.text()).toContain(trx.toUpperCase());
		const res = await desk.post('/admin/payments?/approve', { id: String(claim.id) }, HTML);
		expect(res.status).toBe(200);
		const after = claimOf(trx)!;
		expect(after.status).toBe('approved');
		expect(after.decided_by).toBe(ADMIN);
		const order = server.db.prepare('select * from orders where id = ?').get(after.order_id) as Record<string, unknown>;
		expect(order).toMatchObject({ method, checkout_session_id: null, amount: bdtPrice, currency: 'BDT' });
		expect(await mailText(email, 'আপনার কোর্স প্রস্তুত')).toContain('/login/verify?token=');

		const student = await signIn(server, email);
		expect((await outcome(await student.get('/course'))).status).toBe(200);
		expect((await outcome(await student.get(`/lessons/${paid.slug}`))).status).toBe(200);
	});
});

describe('the seller says no, or takes it back', () => {
	it('a rejection mails the reason, and the TrxID stays used', async () => {
		const email = 'rejected.buyer@example.com';
		const fields = claimFields('bkash', email);
		expect((await new Browser(server.origin).post('/pay/bkash', fields, from())).status).toBe(200);
		const claim = claimOf(fields.trx_id)!;
		const desk = await admin();
		const empty = await desk.post('/admin/payments?/reject', { id: String(claim.id), reason: ' ' }, HTML);
		expect(empty.status).toBe(400);
		expect(claimOf(fields.trx_id)!.status).toBe('pending');
		const res = await desk.post('/admin/payments?/reject', { id: String(claim.id), reason: 'টাকা আসেনি' }, HTML);
		expect(res.status).toBe(200);
		expect(await mailText(email, 'আপনার পেমেন্ট যাচাই করা যায়নি')).toContain('টাকা আসেনি');
		expect(count(server.db, 'orders', `buyer_email = '${email}'`)).toBe(0);

		const again = await new Browser(server.origin).post('/pay/bkash', { ...fields, email: 'x@example.com' }, from());
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('আগেই একবার আবেদন করা হয়েছে');
		// Approving a rejected claim changes nothing.
		expect((await desk.post('/admin/payments?/approve', { id: String(claim.id) }, HTML)).status).toBe(409);
	});

	it('revoking an approved claim ends access at once and counts it refunded', async () => {
		const email = 'revoked.buyer@example.com';
		const fields = claimFields('nagad', email);
		await new Browser(server.origin).post('/pay/nagad', fields, from());
		const { id } = claimOf(fields.trx_id)!;
		const desk = await admin();
		await desk.post('/admin/payments?/approve', { id: String(id) }, HTML);
		const student = await signIn(server, email);
		expect((await outcome(await student.get('/course'))).status).toBe(200);
		const res = await desk.post('/admin/payments?/revoke', { id: String(id), reason: 'টাকা ফেরত দেওয়া হলো' }, HTML);
		expect(res.status).toBe(200);
		expect(claimOf(fields.trx_id)!.status).toBe('revoked');
		expect((await outcome(await student.get('/course'))).status).toBe(403);
		const state = server.db
			.prepare('select refunded from payment_states where payment_intent_id = ?')
			.get(`nagad:${fields.trx_id}`) as { refunded: number };
		expect(state.refunded).toBe(1);
	});
});

describe('at the same moment', () => {
	it('20 concurrent claims of one TrxID make one claim; the rest are told it is used', async () => {
		const trx = TRX.bkash();
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				new Browser(server.origin).post('/pay/bkash', claimFields('bkash', `race${i}@example.com`, trx), from())
			)
		);
		const statuses = answers.map((r) => r.status).sort();
		expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
		expect(count(server.db, 'wallet_claims', `trx_id = '${trx}'`)).toBe(1);
	});

	it('20 concurrent approvals of one claim make one order, one enrolment and one welcome mail', async () => {
		const email = 'tapped.twice@example.com';
		const fields = claimFields('rocket', email);
		await new Browser(server.origin).post('/pay/rocket', fields, from());
		const { id } = claimOf(fields.trx_id)!;
		const desks = await Promise.all(Array.from({ length: 4 }, () => admin()));
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, i) => desks[i % 4].post('/admin/payments?/approve', { id: String(id) }, HTML))
		);
		expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(19).fill(409)]);
		expect(count(server.db, 'orders', `buyer_email = '${email}'`)).toBe(1);
		expect(count(server.db, 'enrolments e join users u on u.id = e.user_id', `u.email = '${email}'`)).toBe(1);
		expect(count(server.db, 'outbox', `template = 'welcome' and to_email = '${email}'`)).toBe(1);
	});
});

describe('bad input', () => {
	const good = () => claimFields('bkash', 'good.shape@example.com');
	const cases: [string, Record<string, string>, string][] = [
		['no email', { email: '' }, 'ইমেইল ঠিকানা লিখুন'],
		['a broken email', { email: 'নাম@' }, 'ইমেইল ঠিকানাটি ঠিক মনে হচ্ছে না'],
		['no TrxID', { trx_id: '' }, 'ট্রানজেকশন আইডি (TrxID) লিখুন'],
		['a short TrxID', { trx_id: 'AB12' }, 'ট্রানজেকশন আইডিটি ঠিক মনে হচ্ছে না'],
		['a TrxID with symbols', { trx_id: 'AB12<>CD!!' }, 'ট্রানজেকশন আইডিটি ঠিক মনে হচ্ছে না'],
		['no sender', { sender: '' }, 'যে নম্বর থেকে টাকা পাঠিয়েছেন'],
		['a short number in Latin digits', { sender: '0171234567' }, 'মোবাইল নম্বরটি ১১ অঙ্কের'],
		['a short number in Bengali digits', { sender: '০১৭১২৩৪৫৬৭' }, 'মোবাইল নম্বরটি ১১ অঙ্কের'],
		['a landline', { sender: '০২৯৫৫৫১২৩৪' }, 'মোবাইল নম্বরটি ১১ অঙ্কের'],
		['a name of 201 letters', { name: 'ক'.repeat(201) }, 'নামটি ২০০ অক্ষরের মধ্যে']
	];
	it.each(cases)('%s: 400 with a Bengali message, nothing stored', async (_, change, message) => {
		const before = count(server.db, 'wallet_claims');
		const res = await new Browser(server.origin).post('/pay/bkash', { ...good(), ...change }, from());
		expect(res.status).toBe(400);
		expect(await res.text()).toContain(message);
		expect(count(server.db, 'wallet_claims')).toBe(before);
	});

	it('Bengali digits and spaces in a TrxID and number are read as Latin ones', async () => {
		const res = await new Browser(server.origin).post(
			'/pay/rocket',
			{ email: 'digits@example.com', trx_id: '৯৮৭ ৬৫৪ ৩২১০', sender: '০১৯ ১২৩৪ ৫৬৭৮' },
			from()
		);
		expect(res.status).toBe(200);
		const row = server.db.prepare("select sender from wallet_claims where trx_id = '9876543210'").get() as {
			sender: string;
		};
		expect(row.sender).toBe('01912345678');
	});

	it('fields of most of a megabyte: 400, nothing stored, nothing echoed in full; past the body limit, 413', async () => {
		const big = 'x'.repeat(900_000);
		for (const field of ['email', 'name', 'trx_id', 'sender']) {
			const res = await new Browser(server.origin).post('/pay/bkash', { ...good(), [field]: big }, from());
			expect(res.status, field).toBe(400);
			expect((await res.text()).length, field).toBeLessThan(100_000);
		}
		const over = await new Browser(server.origin).post('/pay/bkash', { ...good(), name: 'ক'.repeat(300_000) }, from());
		expect(over.status).toBe(413);
		expect(count(server.db, 'wallet_claims', "email = 'good.shape@example.com'")).toBe(0);
	});

	it('a method that is not configured is a 404 page, for GET and POST', async () => {
		expect((await fetch(`${server.origin}/pay/upay`)).status).toBe(404);
		const res = await new Browser(server.origin).post('/pay/upay', good(), from());
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('এই পদ্ধতিতে এখানে টাকা নেওয়া হয় না');
	});

	it('one address may claim ten times an hour; the eleventh gets a Bengali 429', async () => {
		const ip = '198.51.100.77';
		const answers = [];
		for (let i = 0; i < 11; i++)
			answers.push(
				await new Browser(server.origin).post('/pay/bkash', claimFields('bkash', `limit${i}@example.com`), from(ip))
			);
		expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array<number>(10).fill(200));
		expect(answers[10].status).toBe(429);
		expect(Number(answers[10].headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await answers[10].text()).toContain('আবার চেষ্টা করুন');
	});
});
