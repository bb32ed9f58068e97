// The guide as a stamped EPUB, downloaded over real HTTP by a student whose lessons are all open:
// its structure, its fonts, the buyer's stamp, epubcheck, and the cache that makes later downloads file reads.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { addBuyer, bookFontsFromBuild, skipWithoutTool, type Buyer } from '../support/ebook';
import type { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { lessonFixtures, signIn } from '../support/students';

const EPUBCHECK = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
const XHTML = 'http://www.w3.org/1999/xhtml';

let server: TestServer;
let buyer: Buyer;
let reader: Browser;
let epub: Uint8Array;
let files: Record<string, Uint8Array>;

/** Parses XML, failing on any error: the file must be well-formed. */
function parseXml(name: string, bytes: Uint8Array): Document {
	const problems: string[] = [];
	const doc = new DOMParser({
		onError: (level, message) => {
			if (level !== 'warning') problems.push(message);
		}
	}).parseFromString(strFromU8(bytes), 'application/xml');
	expect(problems, name).toEqual([]);
	return doc;
}

function textOf(doc: Document): string {
	return doc.documentElement?.textContent ?? '';
}

function elements(doc: Document, ns: string, name: string): Element[] {
	return Array.from(doc.getElementsByTagNameNS(ns, name));
}

beforeAll(async () => {
	server = await startServer();
	buyer = addBuyer(server.db, 'reader@example.com', 'রহিমা খাতুন', { daysAgo: 60 });
	reader = await signIn(server, buyer.email);
	const res = await reader.get('/course/ebook.epub');
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/epub+zip');
	expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.epub"$/);
	expect(res.headers.get('cache-control')).toBe('private, no-store');
	epub = new Uint8Array(await res.arrayBuffer());
	files = unzipSync(epub);
});
afterAll(async () => {
	await server?.stop();
});

describe('the EPUB container', () => {
	it('starts with the mimetype entry, stored uncompressed and with no extra field', () => {
		const view = new DataView(epub.buffer, epub.byteOffset);
		expect(view.getUint32(0, true)).toBe(0x04034b50); // a local file header
		expect(view.getUint16(8, true)).toBe(0); // stored
		const nameLength = view.getUint16(26, true);
		expect(view.getUint16(28, true)).toBe(0);
		expect(strFromU8(epub.subarray(30, 30 + nameLength))).toBe('mimetype');
		expect(strFromU8(epub.subarray(30 + nameLength, 30 + nameLength + 20))).toBe('application/epub+zip');
	});

	it('names its package document in META-INF/container.xml', () => {
		const container = parseXml('container.xml', files['META-INF/container.xml']);
		const rootfile = container.getElementsByTagName('rootfile')[0];
		expect(rootfile.getAttribute('media-type')).toBe('application/oebps-package+xml');
		expect(files[rootfile.getAttribute('full-path')!]).toBeDefined();
	});
});

describe('the package, its navigation and its chapters', () => {
	const OPF = 'http://www.idpf.org/2007/opf';
	const DC = 'http://purl.org/dc/elements/1.1/';

	it('has Bengali metadata, a stable identifier and the order, and every manifest item in the zip', () => {
		const opf = parseXml('content.opf', files['OEBPS/content.opf']);
		const course = lessonFixtures()[0].lesson;
		expect(course).toBeDefined();
		expect(elements(opf, DC, 'language')[0].textContent).toBe('bn');
		expect(elements(opf, DC, 'title')[0].textContent?.length).toBeGreaterThan(0);
		expect(elements(opf, DC, 'creator')[0].textContent?.length).toBeGreaterThan(0);
		expect(elements(opf, DC, 'identifier')[0].textContent).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
		expect(elements(opf, DC, 'date')[0].textContent).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const metas = elements(opf, OPF, 'meta').map((m) => [m.getAttribute('property'), m.textContent]);
		expect(metas).toContainEqual(['store:order', String(buyer.orderId)]);
		expect(metas).toContainEqual(['store:buyer-email', buyer.email]);
		for (const item of elements(opf, OPF, 'item'))
			expect(files[`OEBPS/${item.getAttribute('href')}`], item.getAttribute('href')!).toBeDefined();
	});

	it('has a navigation document whose table of contents lists every lesson, in order', async () => {
		const opf = parseXml('content.opf', files['OEBPS/content.opf']);
		const navItem = elements(opf, OPF, 'item').find((i) => i.getAttribute('properties') === 'nav')!;
		const nav = parseXml('nav', files[`OEBPS/${navItem.getAttribute('href')}`]);
		const toc = elements(nav, XHTML, 'nav').find((n) => n.getAttribute('epub:type') === 'toc')!;
		const titles = Array.from(toc.getElementsByTagNameNS(XHTML, 'a')).map((a) => a.textContent ?? '');
		const lessons = lessonFixtures().map((f) => f.lesson);
		expect(titles.length).toBe(lessons.length);
		lessons.forEach((lesson, i) => expect(titles[i]).toContain(lesson.title));
		await Promise.resolve();
	});

	it('has one well-formed XHTML chapter per lesson, in Bengali, with the lesson text and the buyer stamp', () => {
		const fixtures = lessonFixtures();
		const chapters = Object.keys(files)
			.filter((f) => /chapter-\d+\.xhtml$/.test(f))
			.sort();
		expect(chapters.length).toBe(fixtures.length);
		chapters.forEach((name, i) => {
			const doc = parseXml(name, files[name]);
			const html = doc.documentElement!;
			expect(html.getAttribute('lang'), name).toBe('bn');
			expect(html.getAttribute('xml:lang'), name).toBe('bn');
			const text = textOf(doc).replace(/\s+/g, ' ');
			expect(text, name).toContain(fixtures[i].lesson.title);
			expect(fixtures[i].sentences.length, name).toBeGreaterThan(0);
			for (const sentence of fixtures[i].sentences) expect(text, name).toContain(sentence);
			expect(text, name).toContain(buyer.name);
			expect(text, name).toContain(buyer.email);
		});
		const title = textOf(parseXml('title', files['OEBPS/title.xhtml']));
		expect(title).toContain(buyer.name);
		expect(title).toContain(buyer.email);
	});

	it('has a cover generated from the course, with no image from elsewhere', () => {
		const svg = parseXml('cover.svg', files['OEBPS/cover.svg']);
		expect(svg.getElementsByTagName('path').length).toBeGreaterThan(10);
		expect(strFromU8(files['OEBPS/cover.svg'])).not.toMatch(/href="https?:/);
	});
});

describe('the embedded font', () => {
	it('is in the book, declared in its stylesheet and manifest, and covers every character of the text', () => {
		const fonts = Object.keys(files).filter((f) => f.endsWith('.ttf'));
		expect(fonts.length).toBe(5);
		const css = strFromU8(files['OEBPS/book.css']);
		const opf = strFromU8(files['OEBPS/content.opf']);
		for (const font of fonts) {
			const name = font.split('/').pop()!;
			expect(css).toContain(`src: url(fonts/${name})`);
			expect(opf).toContain(`href="fonts/${name}" media-type="font/ttf"`);
			expect(strFromU8(files[font].subarray(0, 4), true)).toBe('\u0000\u0001\u0000\u0000');
		}
		const bookFonts = bookFontsFromBuild();
		const text = Object.keys(files)
			.filter((f) => f.endsWith('.xhtml'))
			.map((f) => textOf(parseXml(f, files[f])))
			.join('');
		const missing = [...new Set(text.replace(/\s/g, ''))].filter((c) => !bookFonts.covers(c));
		expect(missing).toEqual([]);
	});
});

describe('checks and caching', () => {
	it('is built once: the next download is the same file, kept next to the database', async () => {
		const again = new Uint8Array(await (await reader.get('/course/ebook.epub')).arrayBuffer());
		expect(Buffer.from(again).equals(Buffer.from(epub))).toBe(true);
		const cached = readdirSync(join(server.dir, 'ebooks')).filter((f) => f.endsWith('.epub'));
		expect(cached.length).toBe(1);
	});

	it('is a new book when the buyer changes their name, and the old copy is dropped', async () => {
		server.db.prepare('update users set name = ? where id = ?').run('রহিমা বেগম', buyer.id);
		const renamed = unzipSync(new Uint8Array(await (await reader.get('/course/ebook.epub')).arrayBuffer()));
		expect(strFromU8(renamed['OEBPS/title.xhtml'])).toContain('রহিমা বেগম');
		expect(readdirSync(join(server.dir, 'ebooks')).filter((f) => f.endsWith('.epub')).length).toBe(1);
		server.db.prepare('update users set name = ? where id = ?').run(buyer.name, buyer.id);
	});

	// Java takes long to start on a busy machine.
	it('passes epubcheck with no errors', { timeout: 240_000 }, async (ctx: TestContext) => {
		skipWithoutTool(ctx, EPUBCHECK, 'epubcheck');
		const file = join(server.dir, 'stamped.epub');
		writeFileSync(file, epub);
		// Asynchronously: a blocked event loop would leave the HTTP client's idle sockets to be reused after the server closed them.
		const run = await promisify(execFile)('java', ['-jar', EPUBCHECK, file], { encoding: 'utf8' }).then(
			(out) => ({ ...out, status: 0 }),
			(failure: { stdout?: string; stderr?: string; code?: number }) => ({
				stdout: failure.stdout ?? '',
				stderr: failure.stderr ?? '',
				status: failure.code ?? 1
			})
		);
		const output = `${run.stdout}\n${run.stderr}`;
		expect(output, output).toMatch(/Messages: 0 fatals \/ 0 errors/);
		expect(run.status, output).toBe(0);
	});
});
