// The desk on a 360 px phone in Chromium: the overview with its chart, the orders list, an order's and a student's page, with no
// sideways scrolling and the amounts on screen. Screenshots go to test-results/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPhone, type AdminPhone } from '../support/admin-phone';
import { chromiumMissing, launchChromium, skipWithoutChromium } from '../support/chromium';
import { startServer, type TestServer } from '../support/server';
import { addUser, DAY, enrol } from '../support/students';

const ADMIN = 'seller@example.com';
let server: TestServer;
let browser: Browser;
let phone: AdminPhone;
let studentId = 0;
let orderId = 0;

beforeAll(async () => {
	if (chromiumMissing()) return;
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const insert = server.db.prepare(
		`insert into orders (method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email,
		   buyer_name, promotion_code, created_at) values (?, ?, ?, ?, ?, 'BDT', ?, ?, ?, ?)`
	);
	for (let i = 0; i < 12; i++) {
		const email = `a-rather-long-address-for-a-buyer-${i}@example-mail-provider.com.bd`;
		const user = addUser(server.db, email, 'মোহাম্মদ আবদুল্লাহ আল মামুন চৌধুরী');
		const stripe = i % 3 !== 0;
		const { lastInsertRowid } = insert.run(
			stripe ? 'stripe' : 'manual',
			stripe ? `cs_test_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6_${i}` : null,
			stripe ? `pi_3PqRsTuVwXyZ0123456789ab_${i}` : null,
			user,
			150000,
			email,
			'মোহাম্মদ আবদুল্লাহ আল মামুন চৌধুরী',
			stripe ? 'EARLYBIRD2026' : null,
			Date.now() - (i % 7) * DAY
		);
		enrol(server.db, user, { daysAgo: i % 7 });
		studentId ||= user;
		// A Stripe order, with its long ids and promotion code, and a change in the audit log.
		if (i === 1) orderId = Number(lastInsertRowid);
	}
	server.db
		.prepare(
			`insert into audit_log (actor, action, subject_type, subject_id, after, reason) values (?, 'revoke', 'order', ?, ?, ?)`
		)
		.run(
			ADMIN,
			String(orderId),
			JSON.stringify({ status: 'revoked', reason: 'চার্জব্যাক, ব্যাংক থেকে জানানো হয়েছে' }),
			'চার্জব্যাক'
		);
	server.db.prepare("insert into progress values (?, 'x', ?, ?, ?)").run(studentId, Date.now(), Date.now(), Date.now());
	// A signup from a source with a long name, as a utm_source may be: the funnel's source cards hold it.
	server.db
		.prepare(
			`insert into subscribers (email, consent_at, consent_page, consent_form, consent_text_version, source)
			values ('reader@example.com', 0, '/', 'sales-page', 'v0', ?)`
		)
		.run('spring-campaign-2026_facebook-and-instagram-stories.variant-b');
	browser = await launchChromium();
	phone = await adminPhone(browser, server, ADMIN);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('the desk at 360 px', () => {
	it('shows the overview with its chart', async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open('/admin?period=7', 'admin-overview-360.png');
		await phone.expectOnScreen('figure.chart svg');
		await phone.expectOnScreen('#periods ~ .periods .card, .periods .card');
		await phone.expectOnScreen('table.sources td');
	});

	it('shows the orders list as cards, amounts on screen', async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open('/admin/orders', 'admin-orders-360.png');
		await phone.expectOnScreen('td[data-label="পরিমাণ"]');
		await expect(phone.page.locator('td[data-label="পরিমাণ"]').first().textContent()).resolves.toContain('৳১,৫০০');
	});

	it("shows a student's page, actions and progress on screen", async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open(`/admin/students/${studentId}`, 'admin-student-360.png');
		await phone.expectOnScreen('form button');
		await phone.expectOnScreen('td[data-label="শেষ করা"]');
	});

	it("shows an order's page, its Stripe payment and its audit entries on screen", async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open(`/admin/orders/${orderId}`, 'admin-order-360.png');
		await phone.expectOnScreen('.facts dd');
		await phone.expectOnScreen('.audit li');
		await expect(phone.page.locator('.facts').textContent()).resolves.toContain('৳১,৫০০');
	});
});
