import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../bench/lib/weight';
import { startServer, type TestServer } from './support/server';

const FONTSOURCE = 'node_modules/@fontsource/noto-sans-bengali/files';
const browser = await launchChromium();
if (!browser) console.warn('webfont.test.ts: no Chromium at /usr/bin/chromium, so the rendering check is skipped');

/**
 * The subset webfont must draw the course exactly as the full font does: conjuncts (ক্র, ন্ত, স্ট),
 * reph, vowel signs on both sides. The same lesson is rendered twice at 360 px, once with the subset
 * files and once with the original @fontsource files swapped in at the same URLs; the pixels must match.
 */
describe.skipIf(!browser)('the subset webfont', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer();
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
		await page.goto(server.origin + path);
		const loaded = await page.evaluate(async () => {
			await document.fonts.ready;
			return [...document.fonts].map((f) => `${f.family} ${f.weight} ${f.status}`);
		});
		const png = await page.screenshot({ fullPage: true });
		await context.close();
		return { png, loaded, swapped };
	}

	it('draws a lesson exactly as the full Noto Sans Bengali does', async () => {
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
