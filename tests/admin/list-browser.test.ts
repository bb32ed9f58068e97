// The list on a 360 px phone in Chromium: counts, steps, failed mails and subscribers as cards, with no sideways
// scrolling. The screenshot goes to test-results/ with the desk's others.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { adminPhone, type AdminPhone } from '../support/admin-phone';
import { chromiumMissing, launchChromium, skipWithoutChromium } from '../support/chromium';
import { startServer, type TestServer } from '../support/server';

const ADMIN = 'seller@example.com';
let server: TestServer;
let browser: Browser;
let phone: AdminPhone;

beforeAll(async () => {
	if (chromiumMissing()) return;
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const subscriber = server.db.prepare(
		`insert into subscribers (email, name, status, consent_at, consent_page, consent_form, consent_text_version,
		   confirmed_at) values (?, ?, 'confirmed', ?, ?, ?, '2026-12-bn-2', ?)`
	);
	const mail = server.db.prepare(
		`insert into outbox (idempotency_key, template, to_email, status, attempts, last_error) values (?, ?, ?, 'failed', 5, ?)`
	);
	const run = server.db.prepare(`insert into sequence_runs (sequence, email, started_at) values ('lead', ?, ?)`);
	for (let i = 0; i < 8; i++) {
		const email = `a-rather-long-address-for-a-subscriber-${i}@example-mail-provider.com.bd`;
		const imported = i % 2 === 0;
		subscriber.run(
			email,
			'মোহাম্মদ আবদুল্লাহ আল মামুন চৌধুরী',
			Date.now(),
			imported ? 'mailchimp-audience-export-2026-11-30-with-a-long-name.csv' : '/lessons/a-long-lesson-slug-here',
			imported ? 'import' : 'lesson-end',
			Date.now()
		);
		if (i < 3) run.run(email, Date.now());
		if (i < 2)
			mail.run(
				`lead:01-welcome:${email}`,
				'lead/01-welcome',
				email,
				'The provider refused the address: 422 validation_error, the to field must be a valid email address'
			);
	}
	browser = await launchChromium();
	phone = await adminPhone(browser, server, ADMIN);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('the list at 360 px', () => {
	it('shows counts, steps, failed mails with "try again" and subscribers as cards', async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open('/admin/list', 'admin-list-360.png');
		await phone.expectOnScreen('td[data-label="শেষ ত্রুটি"]');
		await phone.expectOnScreen('form[action="?/retry"] button');
		await phone.expectOnScreen('td[data-label="সম্মতি"]');
		await phone.expectOnScreen('form[action="?/stop"] button');
		await phone.expectOnScreen('td[data-label="এর পরে বের হয়েছেন"]');
	});

	it('shows the import page', async (ctx) => {
		skipWithoutChromium(ctx);
		await phone.open('/admin/list/import', 'admin-list-import-360.png');
		await phone.expectOnScreen('input[type="file"]');
	});
});
