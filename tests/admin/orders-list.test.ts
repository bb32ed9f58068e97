// The desk's list of orders pages by key, through plain links (no JavaScript): every order shows once, newest first,
// and a filter holds on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { walkPages } from '../support/paging';
import { addUser, signIn } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const ORDERS = 90;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const insert = server.db.prepare(
		`insert into orders (method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, reference)
		 values (?, ?, ?, ?, 150000, 'BDT', ?, ?)`
	);
	const paymentState = server.db.prepare(
		'insert into payment_states (payment_intent_id, refunded, dispute_status) values (?, ?, ?)'
	);
	const enrol = server.db.prepare('insert into enrolments (user_id, order_id, status) values (?, ?, ?)');
	for (let i = 0; i < ORDERS; i++) {
		const email = `buyer${i}@example.com`;
		const manual = i % 3 === 0;
		const userId = addUser(server.db, email);
		const orderId = insert.run(
			manual ? 'manual' : 'stripe',
			manual ? null : `cs_list_${i}`,
			manual ? null : `pi_list_${i}`,
			userId,
			email,
			manual ? `রসিদ ${i}` : null
		).lastInsertRowid;
		// Refunds, disputes lost and won, and revoked buyers, overlapping so that the order of precedence shows.
		const refunded = !manual && i % 5 === 1;
		const dispute = manual ? null : i % 7 === 2 ? 'lost' : i % 7 === 4 ? 'won' : null;
		if (refunded || dispute) paymentState.run(`pi_list_${i}`, refunded ? 1 : 0, dispute);
		enrol.run(userId, orderId, i % 4 === 0 || i % 5 === 1 ? 'revoked' : 'active');
		expected.set(
			Number(orderId),
			refunded ? 'refunded' : dispute === 'lost' ? 'disputed' : i % 4 === 0 || i % 5 === 1 ? 'revoked' : 'paid'
		);
	}
});
const expected = new Map<number, string>();
afterAll(async () => {
	await server?.stop();
});

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
			const ids = [...expected]
				.filter(([, s]) => s === status)
				.map(([id]) => id)
				.sort((a, b) => b - a);
			expect(ids.length).toBeGreaterThan(2);
			expect(pages.flat()).toEqual(ids);
		}
	);

	it('finds nothing, on one page, for a status that no order of a method has', async () => {
		const { pages } = await walk('/admin/orders?status=disputed&method=manual');
		expect(pages).toEqual([[]]);
	});
});
