// The overview and the orders list are kept until the next write (until-written.ts): a sale, a refund or a signup
// shows on the very next load, whether written by the store itself or by another connection to the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addStripeOrder, signIn, submit } from '../support/students';

let server: TestServer;
let admin: Browser;
const ADMIN = 'seller@example.com';

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	admin = await signIn(server, ADMIN);
});
afterAll(async () => {
	await server?.stop();
});

const between = (html: string, from: string, to: string): string =>
	html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

/** Today's card of the periods, the chart's summary and the funnel's signups, as the seller sees them now. */
async function overview(): Promise<{ today: string; chart: string; signups: string; recent: string }> {
	const html = await (await admin.get('/admin?period=today')).text();
	const periods = between(html, 'id="periods"', '</section>');
	const funnel = between(html, 'id="funnel"', '</section>');
	return {
		today: periods.split('class="card"')[1],
		chart: between(html, '<desc', '</desc>'),
		signups: /ইমেইল দিয়েছেন<\/td>\s*<td data-label="সংখ্যা">([^<]*)</.exec(funnel)?.[1] ?? '',
		recent: between(html, 'id="orders"', '</section>')
	};
}

describe('the overview after a write', () => {
	it('shows a sale and a refund written by another connection on the next load', async () => {
		// Loaded twice: the second load is the kept figures.
		await overview();
		expect((await overview()).today).toContain('কোনো বিক্রি নেই');

		addStripeOrder(server.db, 'buyer@example.com', 'fresh');
		const sold = await overview();
		expect(sold.today).toContain('৳১,৫০০');
		expect(sold.today).toContain('১টি বিক্রি');
		expect(sold.chart).toContain('মোট ৳১,৫০০, ১টি বিক্রি');
		expect(sold.recent).toContain('buyer@example.com');
		expect((await overview()).today, 'kept, the same figures').toContain('১টি বিক্রি');

		server.db.prepare("insert into payment_states (payment_intent_id, refunded) values ('pi_fresh', 1)").run();
		const refunded = await overview();
		expect(refunded.today).toContain('কোনো বিক্রি নেই');
		expect(refunded.chart).toContain('মোট ৳০, ০টি বিক্রি');
	});

	it("shows a sale and a signup written by the store's own connection on the next load", async () => {
		expect((await overview()).today).toContain('কোনো বিক্রি নেই');
		const enrolment = { email: 'cash@example.com', name: 'নগদ ক্রেতা', amount: '৭০০', currency: 'bdt' };
		const done = await submit(admin, '/admin/students?/enrol', { ...enrolment, confirm: '1' });
		expect(done.status).toBe(303);
		const sold = await overview();
		expect(sold.today).toContain('৳৭০০');
		expect(sold.recent).toContain('cash@example.com');
		expect(sold.today).toContain('১টি বিক্রি');

		const before = (await overview()).signups;
		const reader = new Browser(server.origin);
		const signup = await reader.post('/subscribe', { email: 'reader@example.com', form: 'sales-page', page: '/' });
		expect(signup.status).toBeLessThan(400);
		const after = (await overview()).signups;
		expect(before).toBe('০');
		expect(after).toBe('১');
	});

	it('shows on the orders list, kept per database version and URL too, an order written by another connection', async () => {
		const list = async (query = ''): Promise<string> => (await admin.get(`/admin/orders${query}`)).text();
		const first = await list();
		expect(await list(), 'kept, the same bytes').toBe(first);
		expect(first).not.toContain('other.connection@example.com');

		addStripeOrder(server.db, 'other.connection@example.com', 'other');
		expect(await list()).toContain('other.connection@example.com');
		expect(await list('?q=other.connection'), 'another URL, its own rendering').toContain(
			'other.connection@example.com'
		);
		server.db.prepare("insert into payment_states (payment_intent_id, refunded) values ('pi_other', 1)").run();
		expect(await list('?status=refunded')).toContain('other.connection@example.com');
		expect(await list('?status=paid')).not.toContain('other.connection@example.com');
	});
});
