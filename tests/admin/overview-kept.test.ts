// The overview is kept per database version and clock (overview-page.ts): with no write at all, what the clock
// moves still shows on the next load. The server's clock is moved forward (tests/support/server-clock.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/http';
import { serverClock } from '../support/clock';
import { startServer, type TestServer } from '../support/server';
import { addStripeOrder, signIn } from '../support/students';

const ADMIN = 'seller@example.com';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// The fixture course's timezone, Asia/Dhaka, has no summer time.
const DHAKA = 6 * 60 * MINUTE;

let server: TestServer;
let admin: Browser;
const clock = serverClock();

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN, ...clock.env });
	admin = await signIn(server, ADMIN);
});
afterAll(async () => {
	await server?.stop();
	clock.remove();
});

const addOrder = (id: number, createdAt: number): number =>
	addStripeOrder(server.db, `buyer${id}@example.com`, `kept_${id}`, createdAt);

/** The "last 7 days" card of sales and of the list, and today's sales card, as the seller reads them. */
async function overview(period = '30'): Promise<{ sales7: string; list7: string; today: string }> {
	const res = await admin.get(`/admin?period=${period}`);
	expect(res.status).toBe(200);
	const html = await res.text();
	const periods = html.slice(html.indexOf('id="periods"'), html.indexOf('</section>', html.indexOf('id="periods"')));
	return {
		sales7: /গত ৭ দিনে<\/span><strong[^>]*>([^<]*)</.exec(html)?.[1] ?? '',
		list7: /\(গত ৭ দিনে ([^)]*)\)/.exec(html)?.[1] ?? '',
		today: periods.split('class="card"')[1] ?? ''
	};
}

describe('the kept overview and the clock', () => {
	it('lets a sale and a confirmation leave the last 7 days as time passes, with no write between', async () => {
		const start = Date.now();
		// Two sales near the window's start, 1 and 40 minutes inside it: the first is before the window's first whole
		// 15-minute bucket (read on every view), the second in the part kept until the next bucket.
		addOrder(1, start - 7 * DAY + MINUTE);
		addOrder(2, start - 7 * DAY + 40 * MINUTE);
		server.db
			.prepare(
				`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, created_at, confirmed_at)
				 values ('s@example.com', 'confirmed', ?, '/', 'sales-page', 'v', ?, ?)`
			)
			.run(start - 8 * DAY, start - 8 * DAY, start - 7 * DAY + MINUTE);

		expect(await overview()).toMatchObject({ sales7: '২', list7: '১' });
		expect(await overview(), 'kept, the same figures').toMatchObject({ sales7: '২', list7: '১' });

		clock.at(start + 2 * MINUTE);
		expect(await overview()).toMatchObject({ sales7: '১', list7: '০' });

		clock.at(start + 45 * MINUTE);
		expect(await overview()).toMatchObject({ sales7: '০', list7: '০' });
	});

	it("starts a new day at the course's midnight, with no write between", async () => {
		clock.at(Date.now());
		const now = Date.now();
		addOrder(3, now);
		expect((await overview('today')).today).toContain('১টি বিক্রি');
		expect((await overview('today')).today, 'kept, the same figures').toContain('১টি বিক্রি');

		// A minute past the next local midnight.
		const midnight = Math.floor((now + DHAKA) / DAY) * DAY + DAY - DHAKA;
		clock.at(midnight + MINUTE);
		expect((await overview('today')).today).toContain('কোনো বিক্রি নেই');
	});
});
