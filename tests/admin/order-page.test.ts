// An order's own page on the desk (/admin/orders/<id>), the searches that find orders and students on indexes,
// and the stored last activity that the students list sorts by.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bnDigits } from '../../src/lib/format';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, DAY, enrol, lessonFixtures, outcome, signIn, submit } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const gated = lessonFixtures().find((l) => !l.lesson.free && l.lesson.dripDay === 0)!;
let buyerId: number;
let stripeOrder: number;
let walletOrder: number;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	buyerId = addUser(server.db, 'card.buyer@example.com', 'কার্ড ক্রেতা');
	const insert = server.db.prepare(
		`insert into orders (method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email,
		   buyer_name, promotion_code, livemode) values (?, ?, ?, ?, 150000, 'BDT', ?, ?, ?, ?) returning id`
	);
	stripeOrder = (
		insert.get('stripe', 'cs_order_1', 'pi_order_1', buyerId, 'card.buyer@example.com', 'কার্ড ক্রেতা', 'LAUNCH', 1) as {
			id: number;
		}
	).id;
	server.db.prepare('update orders set id = 1234 where id = ?').run(stripeOrder);
	stripeOrder = 1234;
	const walletBuyer = addUser(server.db, 'wallet.buyer@example.com', 'বিকাশ ক্রেতা');
	walletOrder = (
		insert.get('bkash', null, 'bkash:8N7A6B5C4D', walletBuyer, 'wallet.buyer@example.com', 'বিকাশ ক্রেতা', null, 0) as {
			id: number;
		}
	).id;
	server.db.prepare('insert into enrolments (user_id, order_id, status) values (?, ?, ?)').run(buyerId, 1234, 'active');
});
afterAll(async () => {
	await server?.stop();
});

describe("an order's page", () => {
	it('answers 404 to a student and sends anonymous to sign in, for the page and its __data.json', async () => {
		const anonymous = new Browser(server.origin);
		const student = await signIn(server, 'card.buyer@example.com');
		const admin = await signIn(server, ADMIN);
		for (const path of [`/admin/orders/${stripeOrder}`, `/admin/orders/${stripeOrder}/__data.json`]) {
			const a = await outcome(await anonymous.get(path));
			expect([a.status, a.location?.startsWith('/login?next=')], path).toEqual([303, true]);
			const s = await outcome(await student.get(path));
			expect(s.status, path).toBe(404);
			expect(s.body, path).not.toContain('pi_order_1');
			const res = await admin.get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('cache-control'), path).toContain('no-store');
			expect(await res.text(), path).toContain('pi_order_1');
		}
		for (const path of ['/admin/orders/999999', '/admin/orders/abc'])
			expect((await admin.get(path)).status, path).toBe(404);
	});

	it('shows the buyer, the money in Bengali digits, the promotion code, the status and the Stripe payment', async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get(`/admin/orders/${stripeOrder}`)).text();
		expect(html).toContain('অর্ডার #১,২৩৪');
		expect(html).toContain('৳১,৫০০');
		expect(html).toContain('LAUNCH');
		expect(html).toContain('পরিশোধিত');
		expect(html).toContain(`href="/admin/students/${buyerId}"`);
		expect(html).toContain('href="https://dashboard.stripe.com/payments/pi_order_1"');
		expect(html).not.toContain('এই ভর্তি অন্য একটি অর্ডারের');
		// Linked from the list and from the buyer's page.
		expect(await (await admin.get('/admin/orders')).text()).toContain(`href="/admin/orders/${stripeOrder}"`);
		expect(await (await admin.get(`/admin/students/${buyerId}`)).text()).toContain(
			`href="/admin/orders/${stripeOrder}"`
		);
	});

	it("shows a wallet order's TrxID, without a Stripe link, and finds it by TrxID in the list", async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get(`/admin/orders/${walletOrder}`)).text();
		expect(html).toContain('8N7A6B5C4D');
		expect(html).toContain('বিকাশ');
		expect(html).not.toContain('dashboard.stripe.com');
		expect(html).toContain('ভর্তি নেই');
		const list = await (await admin.get('/admin/orders?q=8n7a6b5c4d')).text();
		expect(list).toContain('wallet.buyer@example.com');
		expect(list).not.toContain('card.buyer@example.com');
		expect(list).not.toContain('dashboard.stripe.com');
	});

	it('shows the audit entries of a manual enrolment, and only on the order it made', async () => {
		const admin = await signIn(server, ADMIN);
		const buyer = { email: 'cash@example.com', name: 'নগদ', amount: '1500', currency: 'BDT', reference: 'রসিদ ৭' };
		const done = await submit(admin, '/admin/students?/enrol', { ...buyer, confirm: '1' });
		expect(done.status).toBe(303);
		const order = server.db.prepare("select id, user_id from orders where buyer_email = 'cash@example.com'").get() as {
			id: number;
			user_id: number;
		};
		const html = await (await admin.get(`/admin/orders/${order.id}`)).text();
		expect(html).toContain('হাতে ভর্তি');
		expect(html).toContain('রসিদ ৭');
		expect(html).toContain(ADMIN);
		// The entry names the order it made, as a field of the change, not as stored JSON.
		expect(html).toContain(`অর্ডার: ${bnDigits(order.id)}`);
		expect(html).not.toContain('"orderId"');
		// A later order of the same buyer is not the one the enrolment made.
		const later = server.db
			.prepare(
				`insert into orders (method, user_id, amount, currency, buyer_email) values ('manual', ?, 100, 'BDT', 'cash@example.com') returning id`
			)
			.get(order.user_id) as { id: number };
		const other = await (await admin.get(`/admin/orders/${later.id}`)).text();
		expect(other).toContain('এই অর্ডারে কোনো পরিবর্তন হয়নি।');
		expect(other).toContain('এই ভর্তি অন্য একটি অর্ডারের');
	});
});

describe('finding students and who is stuck', () => {
	it('finds a student by the beginning of the address or the name, and by id', async () => {
		const admin = await signIn(server, ADMIN);
		enrol(server.db, addUser(server.db, 'rahim.uddin@example.com', 'রহিম উদ্দিন'));
		for (const q of ['rahim', 'RAHIM.U', 'রহিম']) {
			const html = await (await admin.get(`/admin/students?q=${encodeURIComponent(q)}`)).text();
			expect(html, q).toContain('rahim.uddin@example.com');
			expect(html, q).not.toContain('card.buyer@example.com');
		}
		expect(await (await admin.get(`/admin/students?q=${buyerId}`)).text()).toContain('card.buyer@example.com');
	});

	it('sorts by the last lesson opened, stored as the student reads', async () => {
		const admin = await signIn(server, ADMIN);
		const early = addUser(server.db, 'early.reader@example.com', null);
		const late = addUser(server.db, 'late.joiner@example.com', null);
		enrol(server.db, early, { daysAgo: 60 });
		enrol(server.db, late, { daysAgo: 1 });
		const order = async (): Promise<number[]> => {
			const html = await (await admin.get('/admin/students?sort=idle')).text();
			return ['early.reader@example.com', 'late.joiner@example.com'].map((e) => html.indexOf(e));
		};
		const [earlyAt, lateAt] = await order();
		expect(earlyAt).toBeGreaterThan(-1);
		expect(earlyAt, 'enrolled 60 days ago and never read: idle longest').toBeLessThan(lateAt);

		const reader = await signIn(server, 'early.reader@example.com');
		expect((await reader.get(`/lessons/${gated.lesson.slug}`)).status).toBe(200);
		const stored = server.db.prepare('select last_active_at from enrolments where user_id = ?').get(early) as {
			last_active_at: number | null;
		};
		expect(stored.last_active_at).toBeGreaterThan(Date.now() - DAY);
		const [earlyNow, lateNow] = await order();
		expect(earlyNow, 'read today: no longer idle').toBeGreaterThan(lateNow);
	});
});
