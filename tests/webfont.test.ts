import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, skipWithoutChromium } from './support/chromium';
import { startServer, type TestServer } from './support/server';

const FONTSOURCE = 'node_modules/@fontsource/noto-sans-bengali/files';

/**
 * The subset webfont must draw the course exactly as the full font does: conjuncts (ক্র, ন্ত, স্ট),
 * reph, vowel signs on both sides. The same lesson is rendered twice at 360 px, once with the subset
 * files and once with the original @fontsource files swapped in at the same URLs; the pixels must match.
 */
describe('the subset webfont', () => {
	let server: TestServer | undefined;
	let browser: Browser | undefined;
	beforeAll(async () => {
		if (chromiumMissing()) return;
		server = await startServer();
		browser = await launchChromium();
	});
	afterAll(async () => {
		await server?.stop();
		await browser?.close();
	});

	async function screenshot(
		path: string,
		fullFonts: boolean
	): Promise<{ png: Buffer; loaded: string[]; swapped: number }> {
		const context = await browser!.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
		const page = await context.newPage();
		let swapped = 0;
		if (fullFonts)
			await page.route('**/*.woff2', async (route) => {
				const [, subset, weight] = /noto-sans-bengali-(bengali|latin)-(\d+)\./.exec(route.request().url()) ?? [];
				swapped++;
				await route.fulfill({
					contentType: 'font/woff2',
					headers: { 'access-control-allow-origin': '*' },
					body: readFileSync(`${FONTSOURCE}/noto-sans-bengali-${subset}-${weight}-normal.woff2`)
				});
			});
		await page.goto(server!.origin + path);
		const loaded = await page.evaluate(async () => {
			await document.fonts.ready;
			return [...document.fonts].map((f) => `${f.family} ${f.weight} ${f.status}`);
		});
		const png = await page.screenshot({ fullPage: true });
		await context.close();
		return { png, loaded, swapped };
	}

	it('draws a lesson exactly as the full Noto Sans Bengali does', async (ctx) => {
		skipWithoutChromium(ctx);
		mkdirSync('test-results', { recursive: true });
		for (const path of ['/lessons/passive-income-reality', '/']) {
			const subset = await screenshot(path, false);
			const full = await screenshot(path, true);
			const name = path === '/' ? 'sales' : path.split('/').pop();
			writeFileSync(`test-results/webfont-${name}-subset.png`, subset.png);
			writeFileSync(`test-results/webfont-${name}-full.png`, full.png);

			expect(subset.loaded.length).toBe(4);
			for (const face of [...subset.loaded, ...full.loaded]) expect(face).toMatch(/^Noto Sans Bengali \d+ loaded$/);
			expect(full.swapped).toBe(4);
			expect(subset.png.equals(full.png), `${path}: see test-results/webfont-${name}-*.png`).toBe(true);
		}
	});
});
