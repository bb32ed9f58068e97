import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER_SCRIPT } from '../src/lib/offline';
import { fixtureCourse } from './support/fixture-course';
import { startServer, type TestServer } from './support/server';
import { addUser, enrol, signIn } from './support/students';

/** A GET as the bytes arrive: fetch() would decompress and hide the encoding. */
function raw(
	origin: string,
	path: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
	return new Promise((done, fail) => {
		const req = request(new URL(path, origin), { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end();
	});
}

const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
// Pages anyone can read; a paid lesson's answer to an anonymous reader is the sign-in work's.
const [first, preview] = fixtureCourse().free.map((l) => `/lessons/${l.slug}`);
const PAGES = ['/', first, preview];

describe('what a page weighs on the wire', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('ships no JavaScript: no script, no modulepreload, no hydration data', async () => {
		for (const path of PAGES) {
			const res = await fetch(new URL(path, server.origin));
			const html = await res.text();
			expect(res.status, path).toBe(200);
			// JSON-LD is data for search engines, not a script a browser runs.
			expect(html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, ''), path).not.toMatch(/<script/i);
			expect(html, path).not.toMatch(/modulepreload/i);
			expect(html, path).not.toContain('__sveltekit');
		}
	});

	it("gives a signed-in student's pages one script, the service worker's registration, and no other JavaScript", async () => {
		const id = addUser(server.db, 'weighed@example.com');
		enrol(server.db, id, { daysAgo: 30 });
		const student = await signIn(server, 'weighed@example.com');
		for (const path of [...PAGES, '/course']) {
			const html = await (await student.get(path)).text();
			// JSON-LD is data for search engines, not JavaScript: only the registration may run.
			const scripts = (html.match(/<script[\s\S]*?<\/script>/gi) ?? []).filter(
				(script) => !script.startsWith('<script type="application/ld+json">')
			);
			expect(scripts, path).toEqual([REGISTER_SCRIPT]);
			expect(Buffer.byteLength(REGISTER_SCRIPT), path).toBeLessThan(200);
			expect(html, path).not.toMatch(/modulepreload/i);
			expect(html, path).not.toContain('__sveltekit');
		}
		const worker = await fetch(new URL('/service-worker.js', server.origin));
		expect(worker.status).toBe(200);
		expect(worker.headers.get('content-type')).toMatch(/javascript/);
	});

	it('puts the lesson text in the page only, not in the serialized data that no browser reads', async () => {
		const page = await (await fetch(new URL(preview, server.origin))).text();
		const sentence = /<p>([^<]{40})/.exec(page)![1];
		const data = await (await fetch(new URL(`${preview}/__data.json`, server.origin))).text();
		expect(data).not.toContain(sentence);
		expect(data).toContain(preview.split('/').pop());
	});

	it('sends HTML compressed with brotli to a browser, and private with a validator', async () => {
		for (const path of PAGES) {
			const res = await raw(server.origin, path, BROWSER);
			expect(res.headers['content-encoding'], path).toBe('br');
			expect(res.headers['vary'], path).toMatch(/accept-encoding/i);
			expect(res.headers['cache-control'], path).toBe('private, no-cache');
			expect(res.headers['etag'], path).toMatch(/^W\/"/);
			expect(Number(res.headers['content-length']), path).toBe(res.body.length);
			expect(brotliDecompressSync(res.body).toString(), path).toContain('</html>');
		}
		const gzip = await raw(server.origin, first, { 'accept-encoding': 'gzip' });
		expect(gzip.headers['content-encoding']).toBe('gzip');
	});

	it('answers a reader who opens the same lesson again with 304 and no body', async () => {
		const once = await raw(server.origin, preview, BROWSER);
		const again = await raw(server.origin, preview, {
			...BROWSER,
			'if-none-match': String(once.headers['etag'])
		});
		expect(again.status).toBe(304);
		expect(again.body.length).toBe(0);
		expect(again.headers['etag']).toBe(once.headers['etag']);
	});

	it('preloads the subset webfont, served immutable, declared with swap and a unicode-range', async () => {
		const html = await (await fetch(new URL(first, server.origin))).text();
		const preloads = [
			...html.matchAll(/<link rel="preload" as="font" type="font\/woff2" href="([^"]+)" crossorigin/g)
		].map((m) => m[1]);
		expect(preloads.length).toBeGreaterThanOrEqual(2);
		expect(preloads.length).toBeLessThanOrEqual(4);
		const faces = [...html.matchAll(/@font-face\{([^}]+)\}/g)].map((m) => m[1]);
		expect(faces.length).toBe(preloads.length);
		expect(new Set(faces.map((f) => /font-weight:(\d+)/.exec(f)?.[1]))).toEqual(new Set(['400', '700']));
		for (const face of faces) {
			expect(face).toContain('font-display:swap');
			expect(face).toMatch(/unicode-range:U\+/);
		}
		for (const href of preloads) {
			const res = await raw(server.origin, new URL(href, new URL(first, server.origin)).pathname);
			expect(res.status, href).toBe(200);
			expect(res.headers['content-type'], href).toBe('font/woff2');
			expect(res.headers['cache-control'], href).toBe('public,max-age=31536000,immutable');
			expect(res.body.subarray(0, 4).toString(), href).toBe('wOF2');
			expect(res.body.length, href).toBeLessThan(45_000);
		}
	});

	it('serves hashed stylesheets immutable and precompressed', async () => {
		const css = readdirSync('build/client/_app/immutable/assets').filter((f) => f.endsWith('.css'));
		expect(css.length).toBeGreaterThan(0);
		for (const file of css) {
			const res = await raw(server.origin, `/_app/immutable/assets/${file}`, BROWSER);
			expect(res.headers['cache-control'], file).toBe('public,max-age=31536000,immutable');
			expect(res.headers['content-encoding'], file).toBe('br');
		}
	});
});
