// The list on a 360 px phone in Chromium: counts, steps, failed mails and subscribers as cards, with no sideways
// scrolling. The screenshot goes to test-results/ with the desk's others.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshotPath, skipWithoutChromium } from '../support/chromium';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';

const ADMIN = 'seller@example.com';
let server: TestServer;
let browser: Browser;
let page: Page;

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
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'bn-BD' });
	const admin = await signIn(server, ADMIN);
	await context.addCookies([{ name: 'session', value: admin.cookies.get('session')!, url: server.origin }]);
	page = await context.newPage();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function open(path: string, shot: string): Promise<void> {
	const response = await page.goto(server.origin + path, { waitUntil: 'load' });
	expect(response?.status(), path).toBe(200);
	await page.screenshot({ path: screenshotPath(shot), fullPage: true });
	const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Infinity);
	expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(360);
}

/** Every element matching selector lies within the 360 px screen. */
async function expectOnScreen(selector: string): Promise<void> {
	const rights = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
	expect(rights.length, selector).toBeGreaterThan(0);
	for (const right of rights) expect(right, selector).toBeLessThanOrEqual(360);
}

describe('the list at 360 px', () => {
	it('shows counts, steps, failed mails with "try again" and subscribers as cards', async (ctx) => {
		skipWithoutChromium(ctx);
		await open('/admin/list', 'admin-list-360.png');
		await expectOnScreen('td[data-label="শেষ ত্রুটি"]');
		await expectOnScreen('form[action="?/retry"] button');
		await expectOnScreen('td[data-label="সম্মতি"]');
		await expectOnScreen('form[action="?/stop"] button');
		await expectOnScreen('td[data-label="এর পরে বের হয়েছেন"]');
	});

	it('shows the import page', async (ctx) => {
		skipWithoutChromium(ctx);
		await open('/admin/list/import', 'admin-list-import-360.png');
		await expectOnScreen('input[type="file"]');
	});
});
