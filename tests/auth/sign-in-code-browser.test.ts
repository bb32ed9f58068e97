// The code form as a reader on a small phone meets it, with JavaScript off as the store ships it.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshotPath, skipWithoutChromium } from '../support/chromium';
import { useBrowserApp } from '../support/browser-app';

const app = useBrowserApp();

async function bengaliCode(to: string): Promise<string> {
	for (let i = 0; i < 200; i++) {
		const row = app.server.db
			.prepare('select text from demo_mailbox where to_email = ? order by id desc limit 1')
			.get(to) as { text: string } | undefined;
		const code = row && /^([০-৯]{6})$/m.exec(row.text)?.[1];
		if (code) return code;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no sign-in mail for ${to}`);
}

const sideways = (page: Page): Promise<number> =>
	page.evaluate(() => document.scrollingElement?.scrollWidth ?? Infinity);

it('a reader asks for a link, types the mailed code in Bengali digits at 360 px, and is signed in', async (ctx) => {
	skipWithoutChromium(ctx);
	const page = await app.chromium.newPage({ viewport: { width: 360, height: 740 }, locale: 'bn-BD' });
	await page.goto(`${app.server.origin}/login`);
	await page.getByLabel('ইমেইল', { exact: true }).fill('reader@example.com');
	await page.getByRole('button', { name: 'সাইন-ইন লিংক পাঠান' }).click();
	const code = await bengaliCode('reader@example.com');
	expect(await sideways(page)).toBeLessThanOrEqual(360);
	await page.screenshot({ path: screenshotPath('sign-in-code-360.png'), fullPage: true });

	const field = page.getByLabel('ইমেইলে পাওয়া ৬ অঙ্কের কোড');
	await field.fill('০০০০০০' === code ? '১১১১১১' : '০০০০০০');
	await page.getByRole('button', { name: 'কোড দিয়ে সাইন ইন করুন' }).click();
	expect(await page.getByRole('alert').textContent()).toContain('কোডটি মেলেনি');
	expect(await sideways(page)).toBeLessThanOrEqual(360);
	await page.screenshot({ path: screenshotPath('sign-in-code-wrong-360.png'), fullPage: true });

	await page.getByLabel('ইমেইলে পাওয়া ৬ অঙ্কের কোড').fill(code);
	await page.getByRole('button', { name: 'কোড দিয়ে সাইন ইন করুন' }).click();
	await page.waitForURL(/\/course$/);
	await page.close();
});
