// The overview's sales: revenue net of refunds and sales per period, currency and method, and the server-drawn chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { addUser, DAY, signIn } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';

/** An order of `amount` BDT (major unit) made `daysAgo` days ago. */
function order(email: string, amount: number, daysAgo: number, method = 'stripe', refunded = false): void {
	const user = addUser(server.db, email);
	const stripe = method === 'stripe';
	server.db
		.prepare(
			`insert into orders (method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, created_at)
			 values (?, ?, ?, ?, ?, 'BDT', ?, ?)`
		)
		.run(
			method,
			stripe ? `cs_${email}` : null,
			stripe ? `pi_${email}` : null,
			user,
			amount * 100,
			email,
			Date.now() - daysAgo * DAY
		);
	if (refunded)
		server.db.prepare('insert into payment_states (payment_intent_id, refunded) values (?, 1)').run(`pi_${email}`);
}

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	order('today@example.com', 1500, 0);
	order('refund@example.com', 1500, 0, 'stripe', true);
	order('week@example.com', 1000, 3, 'manual');
	order('month@example.com', 700, 20, 'bkash');
	order('old@example.com', 900, 60);
	order('ancient@example.com', 5000, 200);
});
afterAll(async () => {
	await server?.stop();
});

const section = (html: string, from: string, to: string): string =>
	html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

describe('the overview', () => {
	it('shows revenue net of refunds and sales for today, 7, 30 and 90 days, by method', async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get('/admin')).text();
		const periods = section(html, 'id="periods"', '</section>');
		const cards = periods.split('class="card"').slice(1);
		expect(cards).toHaveLength(4);
		// Today: one sale of ৳১,৫০০ (the refunded one does not count); 7 days adds the manual one; 30 the bKash one; 90 the old one.
		expect(cards[0]).toContain('৳১,৫০০');
		expect(cards[0]).toContain('১টি বিক্রি');
		expect(cards[1]).toContain('৳২,৫০০');
		expect(cards[1]).toContain('হাতে ভর্তি: ৳১,০০০');
		expect(cards[2]).toContain('৳৩,২০০');
		expect(cards[2]).toContain('বিকাশ: ৳৭০০');
		expect(cards[3]).toContain('৳৪,১০০');
		expect(cards[3]).toContain('৪টি বিক্রি');
		expect(periods).not.toContain('৳৫,০০০');
	});

	it('draws the chart for the chosen period on the server, with a text alternative', async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get('/admin?period=7')).text();
		const chart = section(html, '<figure class="chart', '</figure>');
		expect(chart).toMatch(/<svg[^>]+viewBox="0 0 600 220"[^>]+role="img"/);
		expect(chart).toMatch(/<path class="revenue[^"]*" d="M[\d.,LM]+"/);
		// One bar a day, drawn as one path of a rectangle each.
		const bars = (page: string): number =>
			/<path class="bar[^"]*" d="([^"]*)"/.exec(page)?.[1].match(/M/g)?.length ?? 0;
		expect(bars(chart)).toBe(7);
		expect(chart).toContain('মোট ৳২,৫০০, ২টি বিক্রি');
		// The table behind the chart: seven days, in Bengali digits.
		expect(chart.match(/data-label="দিন"/g)).toHaveLength(7);
		expect(chart).not.toMatch(/<script/);
		const fallback = await (await admin.get('/admin?period=nonsense')).text();
		expect(bars(fallback)).toBe(30);
	});
});
