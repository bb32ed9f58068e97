import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, skipWithoutChromium } from './support/chromium';
import { fixtureCourse } from './support/fixture-course';
import { startServer, type TestServer } from './support/server';

const SHOTS = resolve(import.meta.dirname, '..', 'test-results');
const { course, free } = fixtureCourse();
// The second free preview: a chapter with headings and paragraphs, open to everyone.
const preview = free[1];

/** What a reader on a small phone sees: the page's width, and whether the Bengali webfont is the one in use. */
interface Reading {
	scrollWidth: number;
	fontCheck: boolean;
	bengaliFaces: { status: string; weight: string }[];
	bodyFont: string;
}

async function read(page: Page): Promise<Reading> {
	return page.evaluate(async () => {
		await document.fonts.ready;
		const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans Bengali');
		return {
			scrollWidth: document.scrollingElement?.scrollWidth ?? Infinity,
			fontCheck: document.fonts.check('16px "Noto Sans Bengali"', 'বাংলা'),
			bengaliFaces: faces.map((f) => ({ status: f.status, weight: f.weight })),
			bodyFont: getComputedStyle(document.body).fontFamily
		};
	});
}

describe('in Chromium at 360 px', () => {
	let server: TestServer;
	let browser: Browser;
	let page: Page;
	const requests: string[] = [];
	const failures: string[] = [];

	beforeAll(async () => {
		if (chromiumMissing()) return;
		mkdirSync(SHOTS, { recursive: true });
		server = await startServer();
		browser = await launchChromium();

		const context = await browser.newContext({
			viewport: { width: 360, height: 740 },
			deviceScaleFactor: 2,
			isMobile: true,
			hasTouch: true,
			locale: 'bn-BD'
		});
		page = await context.newPage();
		page.on('request', (request) => requests.push(request.url()));
		page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
		page.on('response', (response) => {
			if (response.status() >= 400) failures.push(`${response.url()}: ${response.status()}`);
		});
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path: string, shot: string): Promise<Reading> {
		const response = await page.goto(server.origin + path, { waitUntil: 'networkidle' });
		expect(response?.status()).toBe(200);
		const reading = await read(page);
		await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
		return reading;
	}

	function expectReadable(reading: Reading): void {
		expect(reading.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(360);
		expect(reading.bodyFont).toMatch(/^"?Noto Sans Bengali"?,/);
		expect(reading.bengaliFaces.some((f) => f.status === 'loaded')).toBe(true);
		expect(reading.fontCheck).toBe(true);
	}

	it('shows the sales page without sideways scrolling, in the Bengali webfont', async (ctx) => {
		skipWithoutChromium(ctx);
		const reading = await open('/', 'sales-360.png');
		expectReadable(reading);
		expect(await page.locator('h1').first().textContent()).toContain(course.title);
		const buy = await page.locator('form[action="/checkout"] button').first().boundingBox();
		expect(buy?.height).toBeGreaterThanOrEqual(44);
		expect((buy?.x ?? 0) + (buy?.width ?? 0)).toBeLessThanOrEqual(360);
	});

	it('shows a preview lesson without sideways scrolling, in the Bengali webfont', async (ctx) => {
		skipWithoutChromium(ctx);
		const reading = await open(`/lessons/${preview.slug}`, 'lesson-360.png');
		expectReadable(reading);
		expect(preview.html.match(/<p>/g)).toHaveLength(3);
		await expect(page.locator('.prose p').count()).resolves.toBe(3);
	});

	it('loaded everything from the store itself, with no failed request', (ctx) => {
		skipWithoutChromium(ctx);
		expect(requests.length).toBeGreaterThan(0);
		expect(requests.filter((url) => !url.startsWith(server.origin + '/'))).toEqual([]);
		expect(requests.some((url) => /noto-sans-bengali-bengali-400[^/]*\.woff2$/.test(url))).toBe(true);
		expect(failures).toEqual([]);
	});
});
