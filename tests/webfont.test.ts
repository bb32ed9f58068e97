import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alwaysKept } from '../scripts/subset-font';
import { loadCourse } from '../src/lib/server/course';
import { chromiumMissing, launchChromium, skipWithoutChromium } from './support/chromium';
import { FIXTURE_COURSE_DIR, SHIPPED_COURSE_DIR } from './support/fixture-course';
import { startServer, type TestServer } from './support/server';

const FONTSOURCE = 'node_modules/@fontsource/noto-sans-bengali/files';

/**
 * The subset webfont must draw the course exactly as the full font does: conjuncts (ক্র, ন্ত, স্ট),
 * reph, vowel signs on both sides. The same lesson is rendered twice at 360 px, once with the subset
 * files and once with the original @fontsource files swapped in at the same URLs; the pixels must match.
 * The subset is cut at build time from course/, so this is about the shipped course, served as it is.
 */
describe('the subset webfont', () => {
	let server: TestServer | undefined;
	let browser: Browser | undefined;
	beforeAll(async () => {
		if (chromiumMissing()) return;
		server = await startServer({ COURSE_DIR: SHIPPED_COURSE_DIR });
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
		// The last free preview of the shipped course, whichever the seller lists (if any), and the sales page.
		const previews = loadCourse(SHIPPED_COURSE_DIR).lessons.filter((l) => l.free);
		for (const path of [...previews.slice(-1).map((l) => `/lessons/${l.slug}`), '/']) {
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

/** Every file under dir. */
function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]
	);
}

// The other tests serve the fixture course with the subset cut from course/: they must not depend on what the
// seller writes there, so the fixture keeps to the characters the subset keeps whatever course/ says.
it('the fixture course uses only characters the subset keeps for any course', () => {
	const kept = new Set(alwaysKept().normalize('NFC'));
	const outside = new Set<string>();
	for (const file of files(FIXTURE_COURSE_DIR))
		for (const c of readFileSync(file, 'utf8').normalize('NFC'))
			if (c >= ' ' && !kept.has(c)) outside.add(`${c} U+${c.codePointAt(0)!.toString(16).toUpperCase()} in ${file}`);
	expect([...outside]).toEqual([]);
});
