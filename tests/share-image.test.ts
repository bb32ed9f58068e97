import { createCanvas, loadImage } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCourse } from './support/fixture-course';
import {
	courseShareCard,
	drawShareImage,
	lessonShareCard,
	registerShareFonts,
	shareCardLayout,
	shareFont,
	type ShareFontFile,
	type ShareCard,
	type TextBlock
} from '../src/lib/server/share-image';
import { chromiumMissing, launchChromium, screenshotPath } from './support/chromium';
import { startServer, type TestServer } from './support/server';

const { course } = fixtureCourse();
const BACKGROUND = [0x0f, 0x51, 0x32];
// Hard cases, whatever the course says: reph (র্ক), ya-phala and ra-phala stacked (স্ট্র্যা), pre-base vowel
// signs that move before a conjunct (ক্ষে, স্থি), two-part vowel signs (কৌ, কো), a conjunct with a below-base form (ন্ত্র).
const SAMPLE = 'স্ট্র্যাটেজি কর্ম ক্ষেত্রে স্থির কৌশল কোর্স মন্ত্র দিয়ে';

/** Ink (white text) against the card's green, as a 0/1 mask. */
interface Mask {
	width: number;
	height: number;
	ink: Uint8Array;
}

async function maskOf(png: Buffer, x: number, y: number, width: number, height: number): Promise<Mask> {
	const image = await loadImage(png);
	const canvas = createCanvas(width, height);
	const ctx = canvas.getContext('2d');
	ctx.drawImage(image, -x, -y);
	const { data } = ctx.getImageData(0, 0, width, height);
	const ink = new Uint8Array(width * height);
	const threshold = (0.2126 * BACKGROUND[0] + 0.7152 * BACKGROUND[1] + 0.0722 * BACKGROUND[2] + 255) / 2;
	for (let i = 0; i < ink.length; i++)
		ink[i] = 0.2126 * data[i * 4] + 0.7152 * data[i * 4 + 1] + 0.0722 * data[i * 4 + 2] > threshold ? 1 : 0;
	return { width, height, ink };
}

function inkCount(mask: Mask): number {
	return mask.ink.reduce((sum, v) => sum + v, 0);
}

/** Intersection over union of the ink of two same-sized masks, the best over shifts of up to 2 px. */
function overlap(a: Mask, b: Mask): number {
	let best = 0;
	for (let dy = -2; dy <= 2; dy++)
		for (let dx = -2; dx <= 2; dx++) {
			let both = 0;
			let either = 0;
			for (let y = 0; y < a.height; y++)
				for (let x = 0; x < a.width; x++) {
					const bx = x + dx;
					const by = y + dy;
					const inA = a.ink[y * a.width + x];
					const inB = bx >= 0 && by >= 0 && bx < b.width && by < b.height ? b.ink[by * b.width + bx] : 0;
					both += inA & inB;
					either += inA | inB;
				}
			best = Math.max(best, either ? both / either : 0);
		}
	return best;
}

/** The rows of a line of text: from well above its baseline (reph, ি) to below it (ু, ্র), short of the next line. */
function band(block: TextBlock, line: number): { top: number; height: number } {
	const top = Math.round(block.baselines[line] - 1.05 * block.size);
	return { top, height: Math.round(1.45 * block.size) };
}

const LEFT = 72;
const WIDTH = 1200 - 2 * LEFT;

let server: TestServer;
let browser: Browser | undefined;
let fonts: (ShareFontFile & { url: string })[] = [];

beforeAll(async () => {
	server = await startServer();
	// The webfont files as the store serves them: the ones its pages preload.
	const html = await (await fetch(server.origin)).text();
	const urls = [...html.matchAll(/<link rel="preload" as="font"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
	fonts = await Promise.all(
		urls.map(async (url) => {
			const [, script, weight] = /noto-sans-bengali-(bengali|latin)-(\d+)\./.exec(url)!;
			const data = Buffer.from(await (await fetch(new URL(url, server.origin))).arrayBuffer());
			return { url, script: script as ShareFontFile['script'], weight: Number(weight), data };
		})
	);
	await registerShareFonts(fonts);
	if (!chromiumMissing()) browser = await launchChromium();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** The og:image of a page, fetched. */
async function servedImage(path: string): Promise<Buffer> {
	const html = await (await fetch(new URL(path, server.origin))).text();
	const url = /<meta property="og:image" content="([^"]+)"/.exec(html)![1];
	const res = await fetch(url);
	expect(res.status).toBe(200);
	return Buffer.from(await res.arrayBuffer());
}

/**
 * Chromium's rendering of one line in the same font files, size and weight, cut to the same rows around its
 * baseline as band() cuts from the card. `unshaped` draws each character in a box of its own, as a renderer
 * that does not shape would: no conjuncts, vowel signs left where they were typed.
 */
async function chromiumLine(text: string, block: TextBlock, unshaped = false): Promise<{ mask: Mask; png: Buffer }> {
	const context = await browser!.newContext({ viewport: { width: 1200, height: 400 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	const faces = fonts
		.map(
			(f) =>
				`@font-face{font-family:'${f.script === 'bengali' ? 'Share Card Bengali' : 'Share Card Latin'}';font-weight:${f.weight};src:url(${f.url}) format('woff2')}`
		)
		.join('');
	const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
	const content = unshaped
		? [...text].map((c) => (c === ' ' ? ' ' : `<span style="display:inline-block">${escape(c)}</span>`)).join('')
		: escape(text);
	// Served from the store's origin, so the fonts load as they do on its pages.
	await page.route(`${server.origin}/__shaping-test`, (route) =>
		route.fulfill({
			contentType: 'text/html; charset=utf-8',
			body: `<!doctype html><html lang="bn"><meta charset="utf-8"><style>${faces}body{margin:0;background:#0f5132}
#line{position:absolute;left:${LEFT}px;top:100px;color:#fff;white-space:pre;font:${shareFont(block.weight, block.size)};line-height:1}</style>
<div id="line">${content}<span id="baseline" style="display:inline-block;width:0;height:0"></span></div>`
		})
	);
	await page.goto(`${server.origin}/__shaping-test`);
	const baseline = await page.evaluate(async () => {
		await document.fonts.ready;
		return document.getElementById('baseline')!.getBoundingClientRect().bottom;
	});
	const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').length);
	expect(loaded).toBeGreaterThan(0);
	const png = await page.screenshot();
	await context.close();
	const top = Math.round(baseline - 1.05 * block.size);
	return { mask: await maskOf(png, LEFT, top, WIDTH, Math.round(1.45 * block.size)), png };
}

describe('the link-preview image', () => {
	it('is drawn from course.yaml in the store’s webfont: the served picture is the one drawn here', async () => {
		const served = await servedImage('/');
		const drawn = await drawShareImage(courseShareCard(course));
		writeFileSync(screenshotPath('share-course.png'), served);
		expect(served.equals(drawn)).toBe(true);
		for (const lesson of course.lessons.filter((l) => l.free)) {
			const image = await servedImage(`/lessons/${lesson.slug}`);
			writeFileSync(screenshotPath(`share-lesson-${lesson.slug}.png`), image);
			expect(image.equals(await drawShareImage(lessonShareCard(course, lesson)))).toBe(true);
		}
	});

	it('keeps a long title and subtitle inside the card, cutting the subtitle with "…"', async () => {
		const words = course.lessons.map((l) => l.title).join(' ');
		const card: ShareCard = { ...courseShareCard(course), title: words.slice(0, 120), subtitle: `${words} `.repeat(6) };
		const { title, subtitle } = await shareCardLayout(card);
		expect(title.lines.length).toBeLessThanOrEqual(3);
		const last = subtitle.lines.length ? subtitle : title;
		// The bottom of the last line stays above the band with the author and the price (118 px high).
		expect(last.baselines.at(-1)! + 0.4 * last.size).toBeLessThanOrEqual(630 - 118);
		expect(subtitle.lines.at(-1)).toMatch(/…$/);
		writeFileSync(screenshotPath('share-long-text.png'), await drawShareImage(card));
	});

	it('shapes the title as Chromium does: conjuncts, reph and vowel signs in place', async (ctx) => {
		const missing = chromiumMissing();
		if (missing) ctx.skip(missing);
		const card = courseShareCard(course);
		const { title } = await shareCardLayout(card);
		expect(title.lines.join(' ')).toBe(card.title);
		const lines = await compareTitle(await servedImage('/'), title, 'title');
		for (const { text, shaped } of lines) expect(shaped, `title line "${text}"`).toBeGreaterThan(0.9);
	});

	it('tells shaped Bengali from unshaped: the same check fails on letters drawn one by one', async (ctx) => {
		const missing = chromiumMissing();
		if (missing) ctx.skip(missing);
		const card: ShareCard = { ...courseShareCard(course), title: SAMPLE };
		const png = await drawShareImage(card);
		writeFileSync(screenshotPath('share-shaping-sample.png'), png);
		const { title } = await shareCardLayout(card);
		for (const { text, shaped, unshaped } of await compareTitle(png, title, 'sample', true)) {
			expect(shaped, text).toBeGreaterThan(0.9);
			expect(unshaped, text).toBeLessThan(0.75);
		}
	});
});

/** For each line of a card's title: how well it matches Chromium's rendering, shaped and (if asked) unshaped. */
async function compareTitle(
	png: Buffer,
	title: TextBlock,
	name: string,
	withUnshaped = false
): Promise<{ text: string; shaped: number; unshaped: number }[]> {
	const results = [];
	for (let i = 0; i < title.lines.length; i++) {
		const rows = band(title, i);
		const image = await maskOf(png, LEFT, rows.top, WIDTH, rows.height);
		expect(inkCount(image)).toBeGreaterThan(0);
		const shaped = await chromiumLine(title.lines[i], title);
		writeFileSync(screenshotPath(`share-${name}-${i + 1}-chromium.png`), shaped.png);
		let unshaped = 0;
		if (withUnshaped) {
			const drawn = await chromiumLine(title.lines[i], title, true);
			writeFileSync(screenshotPath(`share-${name}-${i + 1}-chromium-unshaped.png`), drawn.png);
			unshaped = overlap(image, drawn.mask);
		}
		results.push({ text: title.lines[i], shaped: overlap(image, shaped.mask), unshaped });
	}
	return results;
}
