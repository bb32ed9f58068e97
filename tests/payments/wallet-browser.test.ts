// A buyer on a 360 px phone pays by bKash in a real browser: sales page → /pay/bkash → claim → pending page, with no
// sideways scrolling on the way; then the seller approves it on /admin/payments on the same small screen.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshotPath, skipWithoutChromium } from '../support/chromium';
import { useBrowserApp } from '../support/browser-app';
import { mintToken } from '../support/students';
import { count } from './setup';

const ADMIN = 'seller@example.com';
const app = useBrowserApp({ ADMIN_EMAILS: ADMIN });

async function noSidewaysScroll(page: Page): Promise<void> {
	const [scroll, client] = await page.evaluate(() => [
		document.documentElement.scrollWidth,
		document.documentElement.clientWidth
	]);
	expect(scroll, page.url()).toBeLessThanOrEqual(client);
}

it('pays by bKash at 360 px: sales page, pay page, claim, pending; the seller approves it', async (ctx) => {
	skipWithoutChromium(ctx);
	const page = await app.chromium.newPage({
		viewport: { width: 360, height: 740 },
		locale: 'bn-BD',
		javaScriptEnabled: false
	});
	await page.goto(`${app.server.origin}/`);
	await noSidewaysScroll(page);
	await page
		.getByRole('link', { name: /বিকাশ-এ কিনুন/ })
		.first()
		.click();

	await page.waitForURL(/\/pay\/bkash$/);
	await noSidewaysScroll(page);
	await page.screenshot({ path: screenshotPath('wallet-pay-bkash-360.png'), fullPage: true });
	await page.getByLabel(/ট্রানজেকশন আইডি/).fill('AB12');
	await page.getByLabel(/যে নম্বর থেকে/).fill('০১৭১২৩৪৫৬৭৮');
	await page.getByLabel(/ইমেইল/).fill('phone.buyer@example.com');
	await page.getByRole('button', { name: /তথ্য জমা দিন/ }).click();
	expect(await page.locator('#trx_id-error').textContent()).toContain('ট্রানজেকশন আইডিটি ঠিক মনে হচ্ছে না');
	await noSidewaysScroll(page);
	await page.screenshot({ path: screenshotPath('wallet-pay-bkash-error-360.png'), fullPage: true });

	await page.getByLabel(/ট্রানজেকশন আইডি/).fill('bhk7xyz12q');
	await page.getByRole('button', { name: /তথ্য জমা দিন/ }).click();
	expect(await page.locator('h1').textContent()).toContain('ধন্যবাদ');
	expect(await page.getByRole('status').textContent()).toContain('যাচাই করা হচ্ছে');
	await noSidewaysScroll(page);
	await page.screenshot({ path: screenshotPath('wallet-pending-360.png'), fullPage: true });
	expect(count(app.server.db, 'wallet_claims', "trx_id = 'BHK7XYZ12Q' and status = 'pending'")).toBe(1);

	const desk = await app.chromium.newPage({
		viewport: { width: 360, height: 740 },
		locale: 'bn-BD',
		javaScriptEnabled: false
	});
	await desk.goto(`${app.server.origin}/login/verify?token=${mintToken(app.server.db, ADMIN)}`);
	await desk.getByRole('button').first().click();
	await desk.goto(`${app.server.origin}/admin/payments`);
	await noSidewaysScroll(desk);
	await desk.screenshot({ path: screenshotPath('wallet-admin-payments-360.png'), fullPage: true });
	await desk.getByRole('button', { name: 'অনুমোদন করুন' }).first().click();
	expect(await desk.getByRole('status').first().textContent()).toContain('অনুমোদিত');
	expect(count(app.server.db, 'orders', "buyer_email = 'phone.buyer@example.com' and method = 'bkash'")).toBe(1);
});
