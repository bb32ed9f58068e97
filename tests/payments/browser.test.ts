import { expect, it } from 'vitest';
import { screenshotPath, skipWithoutChromium } from '../support/chromium';
import { useBrowserApp } from '../support/browser-app';
import { count } from './setup';

const app = useBrowserApp();

it('buys the course on a fresh store in demo mode: buy, pay on the demo page, land on the success page', async (ctx) => {
	skipWithoutChromium(ctx);
	const page = await app.chromium.newPage({ viewport: { width: 390, height: 844 }, locale: 'bn-BD' });
	await page.goto(`${app.server.origin}/`);
	await page
		.getByRole('button', { name: /কোর্সটি কিনুন/ })
		.first()
		.click();

	await page.waitForURL(/\/checkout\/demo\/cs_demo_[0-9a-f]+$/);
	expect(await page.getByRole('note').filter({ hasText: 'DEMO' }).isVisible()).toBe(true);
	await page.getByLabel('ইমেইল').fill('browser.buyer@example.com');
	await page.getByLabel(/নাম/).fill('ব্রাউজার ক্রেতা');
	await page.screenshot({ path: screenshotPath('payments-demo-checkout.png'), fullPage: true });
	await page.getByRole('button', { name: /পরিশোধ করুন/ }).click();

	await page.waitForURL(/\/checkout\/success\?session_id=cs_demo_[0-9a-f]+$/);
	expect(await page.locator('h1').textContent()).toContain('ধন্যবাদ');
	expect(await page.locator('main').textContent()).toContain('আপনি এখন সাইন ইন করা আছেন');
	await page.screenshot({ path: screenshotPath('payments-demo-success.png'), fullPage: true });

	const session = (await page.context().cookies()).find((c) => c.name === 'session');
	expect(session?.httpOnly).toBe(true);
	expect(count(app.server.db, 'orders', `buyer_email = 'browser.buyer@example.com'`)).toBe(1);
	expect(count(app.server.db, 'enrolments', `status = 'active'`)).toBe(1);
});
