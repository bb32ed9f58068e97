import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshotPath, skipWithoutChromium } from './support/chromium';
import { fixtureCourse } from './support/fixture-course';
import { useBrowserApp } from './support/browser-app';
import { lessonFixtures } from './support/students';

const { course, paidAtOnce: lesson } = fixtureCourse();
const sentence = lessonFixtures().find((f) => f.lesson.slug === lesson.slug)!.sentences[0];
/** "n / total" as the course page shows it, in Bengali digits. */
const done = (n: number): string => `${n.toLocaleString('bn-BD')} / ${course.lessons.length.toLocaleString('bn-BD')}`;

const app = useBrowserApp();

/** Opens the newest mail to `to` in the demo mailbox and follows its sign-in link, as a buyer would. */
async function openSignInMail(page: Page, subject: RegExp): Promise<void> {
	await page.goto(`${app.server.origin}/dev/mailbox`);
	await page.getByRole('link', { name: subject }).first().click();
	const mail = page.frameLocator('iframe');
	await mail
		.getByRole('link', { name: /সাইন ইন/ })
		.first()
		.click();
	await page.waitForURL(/\/login\/verify\?token=/);
	await page.getByRole('button', { name: 'সাইন ইন করুন' }).click();
}

it('a buyer signs in from the mailed link, reads, marks a lesson done, signs out and back in, and continues', async (ctx) => {
	skipWithoutChromium(ctx);
	// A fresh browser: the success page's own sign-in is not used, so the mailed link is what gets the buyer in.
	const buying = await app.chromium.newPage({ viewport: { width: 360, height: 740 }, locale: 'bn-BD' });
	await buying.goto(`${app.server.origin}/`);
	await buying
		.getByRole('button', { name: /কোর্সটি কিনুন/ })
		.first()
		.click();
	await buying.getByLabel('ইমেইল').fill('reader@example.com');
	await buying.getByRole('button', { name: /পরিশোধ করুন/ }).click();
	await buying.waitForURL(/\/checkout\/success/);
	await buying.context().close();

	const page = await app.chromium.newPage({ viewport: { width: 360, height: 740 }, locale: 'bn-BD' });
	await openSignInMail(page, /আপনার কোর্স প্রস্তুত/);
	await page.waitForURL(/\/course$/);
	expect(await page.locator('h2.count').textContent()).toContain(done(0));

	await page.goto(`${app.server.origin}/lessons/${lesson.slug}`);
	expect(await page.locator('h1').textContent()).toContain(lesson.title);
	expect(await page.locator('main').textContent()).toContain(sentence);
	await page.getByRole('button', { name: 'পাঠ শেষ করেছি' }).click();
	await page.goto(`${app.server.origin}/course`);
	expect(await page.locator('h2.count').textContent()).toContain(done(1));
	await page.screenshot({ path: screenshotPath('student-course-360.png'), fullPage: true });

	await page.getByRole('button', { name: 'সাইন আউট' }).click();
	await page.goto(`${app.server.origin}/lessons/${lesson.slug}`);
	await page.waitForURL(/\/login\?next=/);

	await page.getByLabel('ইমেইল').fill('reader@example.com');
	await page.getByRole('button', { name: 'সাইন-ইন লিংক পাঠান' }).click();
	await openSignInMail(page, /সাইন ইনের লিংক/);
	// The link asked for from a lesson brings the reader back to that lesson.
	await page.waitForURL(new RegExp(`/lessons/${lesson.slug}$`));
	await page.goto(`${app.server.origin}/course`);
	expect(await page.locator('h2.count').textContent()).toContain(done(1));
	const next = page.locator('a.continue');
	expect(await next.textContent()).toContain('চালিয়ে যান');
	await next.click();
	await page.waitForURL(new RegExp(`/lessons/${course.lessons[0].slug}$`));
});
