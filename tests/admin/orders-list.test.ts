// The desk's list of orders pages by key, through plain links (no JavaScript): every order shows once, newest first,
// and a filter holds on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { walkPages } from '../support/paging';
import { addUser, signIn } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const ORDERS = 90;
// The newer half of the orders is far above the older in ids, so that a status's pages cross a gap, and so that
// disputed and revoked orders are as rare among the ids as at a store's size: read from their own few (walksFor in
// orders.ts), where paid and refunded ones are walked to from the newest.
const idOf = (i: number): number => (i < ORDERS / 2 ? i + 1 : 10_000 + i);

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const insert = server.db.prepare(
		`insert into orders (id, method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, reference)
		 values (?, ?, ?, ?, ?, 150000, 'BDT', ?, ?)`
	);
	const paymentState = server.db.prepare(
		'insert into payment_states (payment_intent_id, refunded, dispute_status) values (?, ?, ?)'
	);
	const enrol = server.db.prepare('insert into enrolments (user_id, order_id, status) values (?, ?, ?)');
	for (let i = 0; i < ORDERS; i++) {
		const email = `buyer${i}@example.com`;
		const method = i % 3 === 0 ? 'manual' : i % 6 === 1 ? 'bkash' : 'stripe';
		// An approved bKash claim's order carries "bkash:TrxID" as its payment id; taking it back marks it refunded.
		const paymentId = method === 'manual' ? null : method === 'bkash' ? `bkash:TRX${i}` : `pi_list_${i}`;
		const userId = addUser(server.db, email);
		const orderId = insert.run(
			idOf(i),
			method,
			method === 'stripe' ? `cs_list_${i}` : null,
			paymentId,
			userId,
			email,
			method === 'manual' ? `রসিদ ${i}` : null
		).lastInsertRowid;
		// Refunds, disputes lost and won, and revoked buyers, overlapping so that the order of precedence shows.
		const refunded = paymentId !== null && i % 5 === 1;
		const dispute = method !== 'stripe' ? null : i % 7 === 2 ? 'lost' : i % 7 === 4 ? 'won' : null;
		if (refunded || dispute) paymentState.run(paymentId, refunded ? 1 : 0, dispute);
		enrol.run(userId, orderId, i % 4 === 0 || i % 5 === 1 ? 'revoked' : 'active');
		const status = refunded
			? 'refunded'
			: dispute === 'lost'
				? 'disputed'
				: i % 4 === 0 || i % 5 === 1
					? 'revoked'
					: 'paid';
		expected.set(Number(orderId), { status, method });
	}
});
const expected = new Map<number, { status: string; method: string }>();
afterAll(async () => {
	await server?.stop();
});

const expectedIds = (match: (o: { status: string; method: string }) => boolean): number[] =>
	[...expected]
		.filter(([, o]) => match(o))
		.map(([id]) => id)
		.sort((a, b) => b - a);

const walk = async (start: string): Promise<{ pages: number[][] }> => ({
	pages: await walkPages(await signIn(server, ADMIN), '/admin/orders', start)
});

describe('the list of orders', () => {
	const all = (): number[] =>
		(server.db.prepare('select id from orders order by id desc').all() as { id: number }[]).map((r) => r.id);

	it('shows every order once, newest first, over pages linked by key', async () => {
		const { pages } = await walk('/admin/orders');
		expect(pages.length).toBeGreaterThan(1);
		expect(pages.at(-1)!.length).toBeGreaterThan(0);
		for (const page of pages.slice(0, -1)) expect(page.length).toBe(pages[0].length);
		expect(pages.flat()).toEqual(all());
	});

	it('keeps the filter on the next page', async () => {
		const { pages } = await walk('/admin/orders?method=manual');
		const manual = (
			server.db.prepare("select id from orders where method = 'manual' order by id desc").all() as { id: number }[]
		).map((r) => r.id);
		expect(manual.length).toBeGreaterThan(pages[0].length);
		expect(pages.flat()).toEqual(manual);
	});

	it.each(['paid', 'refunded', 'disputed', 'revoked'])(
		'lists every %s order and no other, over every page',
		async (status) => {
			const { pages } = await walk(`/admin/orders?status=${status}`);
			const ids = expectedIds((o) => o.status === status);
			expect(ids.length).toBeGreaterThan(2);
			expect(pages.flat()).toEqual(ids);
		}
	);

	// Some pairs are found another way than walking from the newest order (refunds of a wallet among the refunds).
	it.each(
		['paid', 'refunded', 'disputed', 'revoked'].flatMap((status) =>
			['stripe', 'bkash', 'manual'].map((method) => [status, method])
		)
	)('lists every %s order paid by %s and no other', async (status, method) => {
		const { pages } = await walk(`/admin/orders?status=${status}&method=${method}`);
		expect(pages.flat()).toEqual(expectedIds((o) => o.status === status && o.method === method));
	});

	it('has refunded bKash orders among its fixtures, for the pair above', () => {
		expect(expectedIds((o) => o.status === 'refunded' && o.method === 'bkash').length).toBeGreaterThan(1);
	});

	it('finds nothing, on one page, for a status that no order of a method has', async () => {
		const { pages } = await walk('/admin/orders?status=disputed&method=manual');
		expect(pages).toEqual([[]]);
	});
});
