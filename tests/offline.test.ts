// Offline reading in Chromium: a signed-in student's opened lessons come back with no connection, under a
// "saved copy" banner; anything else gets the Bengali offline page; signing out, or a session ended on the
// server, forgets every saved lesson; a reader who is not signed in gets nothing saved.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath, skipWithoutChromium } from './support/chromium';
import { addBuyer } from './support/ebook';
import { useBrowserApp } from './support/browser-app';
import { lessonFixtures, mintToken } from './support/students';

const BANNER = 'এটি এই পাঠের সংরক্ষিত কপি';
const OFFLINE = 'আপনি এখন অফলাইনে';

const app = useBrowserApp();

/** Signs in through the real verify form, then waits until the service worker controls the page. */
async function signInAndWaitForWorker(page: Page, email: string): Promise<void> {
	await page.goto(`${app.server.origin}/login/verify?token=${mintToken(app.server.db, email)}`);
	await page.getByRole('button', { name: 'সাইন ইন করুন' }).click();
	await page.waitForURL(/\/course$/);
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

function savedPaths(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const paths: string[] = [];
		for (const name of await caches.keys())
			for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
		return paths;
	});
}

async function mainText(page: Page): Promise<string> {
	return (await page.locator('body').textContent()) ?? '';
}

describe('offline reading', () => {
	it('shows opened lessons offline with a banner, the offline page for the rest, and nothing after sign-out', async (ctx) => {
		skipWithoutChromium(ctx);
		const fixtures = lessonFixtures().filter((f) => !f.lesson.free && f.sentences.length);
		expect(fixtures.length).toBeGreaterThanOrEqual(3);
		const [first, second, third] = fixtures;
		const buyer = addBuyer(app.server.db, 'offline@example.com', 'অফলাইন পাঠক', { daysAgo: 60 });
		const context = await app.chromium.newContext({ viewport: { width: 360, height: 740 }, locale: 'bn-BD' });
		const page = await context.newPage();
		await signInAndWaitForWorker(page, buyer.email);

		for (const { lesson } of [first, second]) {
			await page.goto(`${app.server.origin}/lessons/${lesson.slug}`);
			await expect.poll(() => savedPaths(page)).toContain(`/lessons/${lesson.slug}`);
		}
		expect(await savedPaths(page)).not.toContain(`/lessons/${third.lesson.slug}`);
		// Downloading the guide (no page, so no mark) keeps what was saved.
		await page.goto(`${app.server.origin}/course`);
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/course/ebook.epub"]')]);
		expect(download.suggestedFilename()).toMatch(/\.epub$/);
		await page.goto(`${app.server.origin}/lessons/${second.lesson.slug}`);
		expect(await savedPaths(page)).toContain(`/lessons/${first.lesson.slug}`);

		await context.setOffline(true);
		await page.reload();
		expect(await mainText(page)).toContain(BANNER);
		// The banner stays in sight wherever the reload left the page.
		expect((await page.getByRole('status').boundingBox())?.y).toBeGreaterThanOrEqual(0);
		expect(await mainText(page)).toContain(second.sentences[0]);
		await page.screenshot({ path: screenshotPath('offline-saved-lesson-360.png') });
		await page.goto(`${app.server.origin}/lessons/${first.lesson.slug}`);
		expect(await mainText(page)).toContain(BANNER);
		expect(await mainText(page)).toContain(first.sentences[0]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

		await page.goto(`${app.server.origin}/lessons/${third.lesson.slug}`);
		const offline = await mainText(page);
		expect(offline).toContain(OFFLINE);
		expect(offline).toContain(first.lesson.title);
		expect(offline).not.toContain(third.sentences[0]);
		await page.screenshot({ path: screenshotPath('offline-page-360.png') });

		await context.setOffline(false);
		await page.goto(`${app.server.origin}/course`);
		await page.getByRole('button', { name: 'সাইন আউট' }).click();
		await page.waitForURL(`${app.server.origin}/`);
		expect(await savedPaths(page)).toEqual([]);
		// Signed out, a free lesson is read online but not kept.
		const free = lessonFixtures().find((f) => f.lesson.free)!;
		await page.goto(`${app.server.origin}/lessons/${free.lesson.slug}`);
		expect(await savedPaths(page)).toEqual([]);

		await context.setOffline(true);
		for (const { lesson, sentences } of [first, second]) {
			await page.goto(`${app.server.origin}/lessons/${lesson.slug}`);
			const text = await mainText(page);
			expect(text).toContain(OFFLINE);
			expect(text).not.toContain(sentences[0]);
			expect(text).not.toContain(lesson.title);
		}
		await context.close();
	});

	it('forgets saved lessons when the session has ended on the server, at the next online visit', async (ctx) => {
		skipWithoutChromium(ctx);
		const [lesson] = lessonFixtures().filter((f) => !f.lesson.free);
		const buyer = addBuyer(app.server.db, 'ended@example.com', 'শেষ', { daysAgo: 60 });
		const context = await app.chromium.newContext({ viewport: { width: 360, height: 740 } });
		const page = await context.newPage();
		await signInAndWaitForWorker(page, buyer.email);
		await page.goto(`${app.server.origin}/lessons/${lesson.lesson.slug}`);
		await expect.poll(() => savedPaths(page)).toContain(`/lessons/${lesson.lesson.slug}`);

		app.server.db.prepare('delete from sessions where user_id = ?').run(buyer.id);
		await page.goto(`${app.server.origin}/`);
		await expect.poll(() => savedPaths(page)).toEqual([]);
		await context.close();
	});
});
