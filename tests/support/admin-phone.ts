// The seller's desk as a 360 px phone shows it, for the desk's browser tests.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshotPath } from './chromium';
import type { TestServer } from './server';
import { signIn } from './students';

export interface AdminPhone {
	page: Page;
	/** Opens path (200), saves a full-page screenshot as test-results/<shot>, and fails if the page scrolls sideways. */
	open(path: string, shot: string): Promise<void>;
	/** Fails unless there is an element matching selector and every one lies within the 360 px screen. */
	expectOnScreen(selector: string): Promise<void>;
}

/** A 360 px mobile page in Chromium, signed in as the admin `email` through the app's own sign-in. */
export async function adminPhone(browser: Browser, server: TestServer, email: string): Promise<AdminPhone> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'bn-BD' });
	const admin = await signIn(server, email);
	await context.addCookies([{ name: 'session', value: admin.cookies.get('session')!, url: server.origin }]);
	const page = await context.newPage();
	return {
		page,
		async open(path, shot) {
			const response = await page.goto(server.origin + path, { waitUntil: 'load' });
			expect(response?.status(), path).toBe(200);
			await page.screenshot({ path: screenshotPath(shot), fullPage: true });
			const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Infinity);
			expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(360);
		},
		async expectOnScreen(selector) {
			const rights = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
			expect(rights.length, selector).toBeGreaterThan(0);
			for (const right of rights) expect(right, selector).toBeLessThanOrEqual(360);
		}
	};
}
