// The guide as an A5 PDF: the lesson text as the lessons say it, the buyer's stamp, and Bengali shaped as
// Chromium shapes it (conjuncts, reph, vowel signs on both sides), compared pixel by pixel.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { bookOf } from '../../src/lib/server/ebook/book';
import { buildPdfWithLayout, type PdfBuild } from '../../src/lib/server/ebook/pdf';
import { launchChromium, screenshotPath, skipWithoutChromium } from '../support/chromium';
import { addBuyer, bookFontsFromBuild, skipWithoutTool, type Buyer } from '../support/ebook';
import { fixtureCourse } from '../support/fixture-course';
import { startServer, type TestServer } from '../support/server';
import { lessonFixtures, signIn } from '../support/students';

const A5 = { width: 419.53, height: 595.28 };

let server: TestServer;
let buyer: Buyer;
let pdf: Uint8Array;
let dir: string;

function skipWithoutPoppler(ctx: TestContext): void {
	for (const tool of ['pdftotext', 'pdftoppm', 'pdfinfo']) skipWithoutTool(ctx, `/usr/bin/${tool}`, 'poppler-utils');
}

function run(command: string, args: string[]): string {
	const result = spawnSync(command, args, { encoding: 'utf8' });
	expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
	return result.stdout;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'ebook-pdf-'));
	server = await startServer();
	buyer = addBuyer(server.db, 'pdf.reader@example.com', 'করিম শেখ', { daysAgo: 60 });
	const reader = await signIn(server, buyer.email);
	const res = await reader.get('/course/ebook.pdf');
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/pdf');
	pdf = new Uint8Array(await res.arrayBuffer());
	writeFileSync(join(dir, 'book.pdf'), pdf);
});
afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('the PDF', () => {
	it('is A5, in Bengali, with the buyer and the order in its metadata', (ctx) => {
		skipWithoutPoppler(ctx);
		const file = join(dir, 'book.pdf');
		const info = run('pdfinfo', [file]) + run('pdfinfo', ['-custom', file]);
		expect(info).toMatch(/Page size:\s+419\.5\d* x 595\.2\d* pts/);
		expect(info).toMatch(new RegExp(`OrderId:\\s+${buyer.orderId}\\n`));
		expect(info).toContain(buyer.email);
		expect(info).toMatch(/Title:\s+\S/);
	});

	it('holds every lesson as written, and the stamp at the end of each chapter, as pdftotext reads it', (ctx) => {
		skipWithoutPoppler(ctx);
		// Without the page numbers (each page's last line), so that a sentence that runs over a page break reads on.
		const text = run('pdftotext', ['-enc', 'UTF-8', join(dir, 'book.pdf'), '-'])
			.split('\f')
			.map((page) => page.trimEnd().replace(/\n[০-৯]+$/, ''))
			.join(' ')
			.replace(/\s+/g, ' ');
		const fixtures = lessonFixtures();
		for (const { lesson, sentences } of fixtures) {
			expect(text, lesson.slug).toContain(lesson.title);
			expect(sentences.length, lesson.slug).toBeGreaterThan(0);
			// Bengali vowel signs drawn before their consonant come back in the order they were typed.
			for (const sentence of sentences) expect(text, lesson.slug).toContain(sentence.replace(/\s+/g, ' '));
		}
		const stamps = text.split(buyer.email).length - 1;
		expect(stamps).toBeGreaterThanOrEqual(fixtures.length + 1);
		expect(text).toContain(buyer.name);
	});
});

describe('Bengali in the PDF, next to Chromium', () => {
	let chromium: Chromium | null = null;
	let build: PdfBuild;
	beforeAll(async () => {
		chromium = await launchChromium().catch(() => null);
		const fonts = bookFontsFromBuild();
		const book = bookOf(fixtureCourse().course);
		const stamp = { userId: 1, name: buyer.name, email: buyer.email, orderId: 1 };
		build = await buildPdfWithLayout({ book, stamp, fonts, origin: 'http://127.0.0.1', builtAt: new Date() });
	});
	afterAll(async () => {
		await chromium?.close();
	});

	it("draws a chapter's first page as Chromium draws the same text with the same fonts", async (ctx) => {
		skipWithoutPoppler(ctx);
		skipWithoutChromium(ctx);
		const fonts = bookFontsFromBuild();
		const { course } = fixtureCourse();
		const chapter = Math.max(
			0,
			course.lessons.findIndex((l) => l.number === 1)
		);
		const page = build.chapterPages[chapter];
		const runs = build.pages[page];
		expect(runs.length).toBeGreaterThan(20);

		// The PDF page, as Debian's poppler draws it at 144 dpi (2 px a point).
		writeFileSync(join(dir, 'page.pdf'), build.bytes);
		run('pdftoppm', [
			'-r',
			'144',
			'-f',
			String(page + 1),
			'-l',
			String(page + 1),
			'-png',
			'-singlefile',
			join(dir, 'page.pdf'),
			join(dir, 'poppler')
		]);
		const poppler = readFileSync(join(dir, 'poppler.png'));

		// The same runs at the same baselines as SVG text, which Chromium shapes with its own HarfBuzz.
		const faces = fonts.faces
			.map(
				(f) =>
					`@font-face{font-family:"${f.family}";font-weight:${f.weight};src:url(data:font/ttf;base64,${Buffer.from(f.bytes).toString('base64')})}`
			)
			.join('');
		const escape = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
		const texts = runs
			.map(
				(r) =>
					`<text x="${r.x}" y="${r.y}" font-family="${r.family}" font-weight="${r.weight}" font-size="${r.size}" xml:space="preserve">${escape(r.text)}</text>`
			)
			.join('');
		const html = `<!doctype html><html><head><style>${faces}html,body{margin:0;background:#fff}</style></head><body><svg xmlns="http://www.w3.org/2000/svg" width="${A5.width}pt" height="${A5.height}pt" viewBox="0 0 ${A5.width} ${A5.height}">${texts}</svg></body></html>`;
		const context = await chromium!.newContext({ viewport: { width: 560, height: 794 }, deviceScaleFactor: 1.5 });
		const tab = await context.newPage();
		await tab.setContent(html);
		await tab.evaluate(() => document.fonts.ready.then(() => undefined));
		const chromiumPng = await tab.locator('svg').screenshot();

		// Ink (dark pixels) of one drawing that has no ink of the other within one pixel, counted both ways.
		const result = await tab.evaluate(
			async ([a, b]) => {
				const load = async (src: string) => {
					const img = new Image();
					img.src = src;
					await img.decode();
					return img;
				};
				const [ia, ib] = await Promise.all([load(a), load(b)]);
				const w = Math.min(ia.width, ib.width);
				const h = Math.min(ia.height, ib.height);
				const inkOf = (img: HTMLImageElement) => {
					const canvas = document.createElement('canvas');
					canvas.width = w;
					canvas.height = h;
					const g = canvas.getContext('2d')!;
					g.fillStyle = '#fff';
					g.fillRect(0, 0, w, h);
					g.drawImage(img, 0, 0);
					const data = g.getImageData(0, 0, w, h).data;
					const ink = new Uint8Array(w * h);
					for (let i = 0; i < w * h; i++)
						ink[i] = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2] < 128 ? 1 : 0;
					return ink;
				};
				const pa = inkOf(ia);
				const pb = inkOf(ib);
				const near = (ink: Uint8Array, x: number, y: number) => {
					for (let dy = -1; dy <= 1; dy++)
						for (let dx = -1; dx <= 1; dx++) {
							const nx = x + dx;
							const ny = y + dy;
							if (nx >= 0 && ny >= 0 && nx < w && ny < h && ink[ny * w + nx]) return true;
						}
					return false;
				};
				let inkA = 0;
				let inkB = 0;
				let missA = 0;
				let missB = 0;
				for (let y = 0; y < h; y++)
					for (let x = 0; x < w; x++) {
						const i = y * w + x;
						if (pa[i]) {
							inkA++;
							if (!near(pb, x, y)) missA++;
						}
						if (pb[i]) {
							inkB++;
							if (!near(pa, x, y)) missB++;
						}
					}
				return { w, h, inkA, inkB, missA, missB };
			},
			[
				`data:image/png;base64,${poppler.toString('base64')}`,
				`data:image/png;base64,${chromiumPng.toString('base64')}`
			] as const
		);
		await context.close();
		writeFileSync(screenshotPath('ebook-pdf-page-poppler.png'), poppler);
		writeFileSync(screenshotPath('ebook-pdf-page-chromium.png'), chromiumPng);
		const mismatch = (result.missA + result.missB) / (result.inkA + result.inkB);
		console.log(`PDF page ${page + 1} against Chromium: ${(mismatch * 100).toFixed(2)}% of the ink differs`, result);
		expect(result.inkA).toBeGreaterThan(10_000);
		expect(result.inkB).toBeGreaterThan(10_000);
		expect(Math.abs(result.inkA - result.inkB) / result.inkA).toBeLessThan(0.1);
		expect(mismatch, 'see test-results/ebook-pdf-page-*.png').toBeLessThan(0.02);
	});
});
