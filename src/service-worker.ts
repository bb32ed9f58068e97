/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline reading for signed-in students: every lesson they open is saved with the stylesheet and the font,
 * and shown again with no connection under a small banner; anything else gets a Bengali offline page.
 * Registered only on students' pages (src/routes/+layout.svelte). The server marks answers for a signed-in
 * student (x-offline-reader) and lesson pages whose text may be kept (x-offline-save); an answer without the
 * first, such as the first page after signing out or after the session ended on the server, empties the cache.
 */
import { build, version } from '$service-worker';

const worker = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'offline-reading-';
const CACHE = `${PREFIX}${version}`;
// The stylesheet and the webfont: what a saved lesson needs to look as it did.
const ASSETS = build.filter((path) => /\.(css|woff2)$/.test(path));
const ASSET_PATHS = new Set(ASSETS);

function isAdmin(path: string): boolean {
	return path === '/admin' || path.startsWith('/admin/');
}

/** The key a page is saved under: its path, without query or fragment. */
function pageKey(url: string): string {
	const { origin, pathname } = new URL(url);
	return origin + pathname;
}

async function forgetEverything(): Promise<void> {
	for (const name of await caches.keys()) if (name.startsWith(PREFIX)) await caches.delete(name);
}

/** Saves a lesson page that the server allows to be kept, with the stylesheets and fonts it names. */
async function save(url: string, response: Response): Promise<void> {
	const html = await response.clone().text();
	const cache = await caches.open(CACHE);
	await cache.put(pageKey(url), response);
	// Mostly already in the browser's cache (the page just used them): no download.
	const named = new Set(html.match(/\/_app\/immutable\/assets\/[^"'()\s]+\.(?:css|woff2)/g) ?? []);
	const missing = [];
	for (const path of named) if (!(await cache.match(path))) missing.push(path);
	if (missing.length) await cache.addAll(missing);
}

/** Acts on what the server said about the reader (response is a copy for this alone): save, forget, or neither. */
async function remember(url: string, response: Response): Promise<void> {
	// A redirect says nothing about the reader (and its headers cannot be read).
	if (response.type === 'opaqueredirect' || response.status === 0) return;
	// Only pages carry the mark: a download (the ebook) says nothing either.
	if (!response.headers.get('content-type')?.startsWith('text/html')) return;
	if (response.headers.get('x-offline-reader') !== 'student') await forgetEverything();
	else if (response.status === 200 && response.headers.get('x-offline-save') === 'lesson') await save(url, response);
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BANNER =
	// Sticky: seen wherever the reader was in the page when it was saved.
	'<p role="status" style="position:sticky;top:0;z-index:10;margin:0;padding:.5rem 1rem;background:#fff4d6;color:#1b1f1d;text-align:center;font-size:.95rem">' +
	'আপনি এখন অফলাইনে: এটি এই পাঠের সংরক্ষিত কপি।</p>';

async function withBanner(saved: Response): Promise<Response> {
	const html = await saved.text();
	const marked = html.replace(/<body[^>]*>/, (body) => body + BANNER);
	return new Response(marked, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** The Bengali offline page, with links to the lessons saved on this device. */
async function offlinePage(): Promise<Response> {
	const cache = await caches.open(CACHE);
	const items: string[] = [];
	for (const request of await cache.keys()) {
		const path = new URL(request.url).pathname;
		if (!path.startsWith('/lessons/')) continue;
		const html = (await (await cache.match(request))?.text()) ?? '';
		const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? path;
		items.push(`<li><a href="${escapeHtml(path)}">${title}</a></li>`);
	}
	const fonts = ASSETS.filter((p) => p.endsWith('.woff2'))
		.map((p) => {
			const [, subset, weight] = /noto-sans-bengali-(bengali|latin)-(\d+)/.exec(p) ?? [];
			return subset ? `@font-face{font-family:"o-${subset}";font-weight:${weight};src:url(${p}) format("woff2")}` : '';
		})
		.join('');
	const list = items.length
		? `<p>এই ফোনে সংরক্ষিত পাঠগুলো অফলাইনেও পড়া যাবে:</p><ul>${items.join('')}</ul>`
		: '<p>এই ফোনে এখনো কোনো পাঠ সংরক্ষিত নেই। অনলাইনে থাকার সময় যে পাঠ খুলবেন, সেটি পরে অফলাইনেও পড়া যাবে।</p>';
	const html =
		'<!doctype html><html lang="bn"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>অফলাইন</title><style>${fonts}body{margin:0;padding:1rem;font:1.0625rem/1.8 "o-bengali","o-latin",sans-serif;` +
		'background:#fbfaf6;color:#1b1f1d}main{max-width:38rem;margin:0 auto}a{color:#0f5132}</style></head>' +
		`<body><main><h1>আপনি এখন অফলাইনে</h1><p>এই পাতাটি এই ফোনে সংরক্ষিত নেই। ইন্টারনেট ফিরলে আবার চেষ্টা করুন।</p>${list}</main></body></html>`;
	return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function navigate(event: FetchEvent): Promise<Response> {
	const { request } = event;
	let response: Response;
	try {
		response = await fetch(request);
	} catch {
		const saved = await (await caches.open(CACHE)).match(pageKey(request.url));
		return saved ? withBanner(saved) : offlinePage();
	}
	event.waitUntil(remember(request.url, response.clone()));
	return response;
}

/** Assets: from the cache when saved there (they are immutable), else from the network. */
async function asset(request: Request): Promise<Response> {
	const saved = await caches.match(request, { cacheName: CACHE });
	return saved ?? fetch(request);
}

worker.addEventListener('install', (event) => {
	event.waitUntil(worker.skipWaiting());
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			// Lessons saved under an earlier version are kept, with the assets their pages name.
			const cache = await caches.open(CACHE);
			for (const name of await caches.keys()) {
				if (!name.startsWith(PREFIX) || name === CACHE) continue;
				const old = await caches.open(name);
				const pages = (await old.keys()).filter((r) => new URL(r.url).pathname.startsWith('/lessons/'));
				const texts = await Promise.all(pages.map(async (r) => (await old.match(r))!.text()));
				for (const [i, request] of pages.entries())
					await cache.put(request, new Response(texts[i], { headers: { 'content-type': 'text/html; charset=utf-8' } }));
				for (const request of await old.keys()) {
					const path = new URL(request.url).pathname;
					if (!path.startsWith('/lessons/') && !ASSET_PATHS.has(path) && texts.some((html) => html.includes(path)))
						await cache.put(request, (await old.match(request))!);
				}
				await caches.delete(name);
			}
			await worker.clients.claim();
			// The page that registered the worker was not yet under it: save it now if it is a lesson.
			for (const client of await worker.clients.matchAll({ type: 'window' }))
				if (new URL(client.url).pathname.startsWith('/lessons/'))
					await fetch(client.url, { credentials: 'same-origin' }).then(
						(r) => remember(client.url, r),
						() => undefined
					);
		})()
	);
});

worker.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== worker.location.origin || isAdmin(url.pathname)) return;
	if (request.method === 'POST' && url.pathname === '/logout') {
		// Signing out forgets every saved lesson before the server is even asked.
		event.respondWith(forgetEverything().then(() => fetch(request)));
		return;
	}
	if (request.method !== 'GET') return;
	if (ASSET_PATHS.has(url.pathname)) event.respondWith(asset(request));
	else if (request.mode === 'navigate') event.respondWith(navigate(event));
});
