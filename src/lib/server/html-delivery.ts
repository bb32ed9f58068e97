import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * How every HTML answer leaves the server: `node build` is the production server, with no proxy in front
 * to do this. A validator of the body (so that a reader who opens the same page again gets a 304), a
 * Cache-Control that keeps pages out of shared caches (pages differ by session), and compression chosen by
 * Accept-Encoding. Compressed bodies are kept by hash: most answers repeat byte for byte, and compressing
 * one costs half as much again as rendering it. Pages that every anonymous visitor sees alike can also be
 * shared between them for a few seconds.
 */

export type Encoding = 'br' | 'gzip';

// A lesson page: brotli 5 gives 3.7 KB, gzip 6 4.1 KB, brotli 11 3.4 KB but 60 times slower. In the server a
// brotli 5 miss adds about 0.5 ms to a 0.9 ms request (gzip 6 about 0.3 ms); hits add nothing, so the
// smaller encoding wins for pages that repeat.
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;
/** Below this, headers outweigh what compression saves. */
const MIN_BYTES = 1024;
const CACHE_BYTES = 4 * 1024 * 1024;

/** The encoding to send for an Accept-Encoding header: br before gzip, none that the client refuses with q=0. */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
	if (!acceptEncoding) return null;
	const accepted = new Set<string>();
	for (const part of acceptEncoding.toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
		if (q === undefined || Number(q) > 0) accepted.add(name.trim());
	}
	if (accepted.has('br')) return 'br';
	if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
	return null;
}

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
	return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

const compressed = new Map<string, Uint8Array<ArrayBuffer>>();
let cachedBytes = 0;

function compress(body: Uint8Array, encoding: Encoding, hash: string): Uint8Array<ArrayBuffer> {
	const key = `${encoding}:${hash}`;
	const hit = compressed.get(key);
	if (hit) {
		// Map order is insertion order: re-inserting makes this the most recently used.
		compressed.delete(key);
		compressed.set(key, hit);
		return hit;
	}
	const out =
		encoding === 'br'
			? brotliCompressSync(body, {
					params: {
						[constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
						[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
						[constants.BROTLI_PARAM_SIZE_HINT]: body.length
					}
				})
			: gzipSync(body, { level: GZIP_LEVEL });
	compressed.set(key, out);
	cachedBytes += out.length;
	for (const [oldest, bytes] of compressed) {
		if (cachedBytes <= CACHE_BYTES) break;
		compressed.delete(oldest);
		cachedBytes -= bytes.length;
	}
	return out;
}

/** An HTML answer ready to send in any encoding: headers without content-encoding and content-length. */
interface Page {
	status: number;
	statusText: string;
	headers: Headers;
	body: Uint8Array<ArrayBuffer>;
	hash: string;
	/** The route set no Cache-Control of its own. */
	defaultCacheControl: boolean;
}

/** The validator of a body: the same bytes, the same ETag, whichever encoding is sent. */
export function bodyHash(body: Uint8Array): string {
	return createHash('sha1').update(body).digest('base64url');
}

// Answers made from bytes already in memory (pages kept by rendered-pages.ts): taken as they are, instead of
// reading the body's stream and hashing it again on every answer.
const knownBodies = new WeakMap<Response, { body: Uint8Array<ArrayBuffer>; hash: string }>();

/** An answer of body, whose bodyHash is hash; deliverHtml neither reads its stream nor hashes it. */
export function responseOfBody(body: Uint8Array<ArrayBuffer>, hash: string, init: ResponseInit): Response {
	const response = new Response(body, init);
	knownBodies.set(response, { body, hash });
	return response;
}

async function prepare(request: Request, response: Response): Promise<Page | null> {
	const type = response.headers.get('content-type') ?? '';
	if (!type.startsWith('text/html') || !response.body || response.headers.has('content-encoding')) return null;

	const known = knownBodies.get(response);
	const body = known?.body ?? new Uint8Array(await response.arrayBuffer());
	const hash = known?.hash ?? bodyHash(body);
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.append('vary', 'Accept-Encoding');
	const defaultCacheControl = !headers.has('cache-control');
	if (defaultCacheControl) headers.set('cache-control', 'private, no-cache');
	// Weak: the same page is sent as br, gzip or plain bytes. Only a 200 to a GET can be revalidated.
	if ((request.method === 'GET' || request.method === 'HEAD') && response.status === 200)
		headers.set('etag', `W/"${hash}"`);
	else headers.delete('etag');
	return { status: response.status, statusText: response.statusText, headers, body, hash, defaultCacheControl };
}

function answer(request: Request, page: Page): Response {
	const headers = new Headers(page.headers);
	const etag = headers.get('etag');
	if (etag && etagMatches(request.headers.get('if-none-match'), etag)) {
		headers.delete('content-type');
		return new Response(null, { status: 304, headers });
	}
	const encoding = page.body.length >= MIN_BYTES ? chooseEncoding(request.headers.get('accept-encoding')) : null;
	const out = encoding ? compress(page.body, encoding, page.hash) : page.body;
	if (encoding) headers.set('content-encoding', encoding);
	headers.set('content-length', String(out.length));
	return new Response(out, { status: page.status, statusText: page.statusText, headers });
}

// Pages that are the same for every anonymous visitor (the sales page, preview lessons) are rendered once
// and shared for a few seconds: most visitors arrive signed out, and rendering a lesson takes about 0.9 ms
// of CPU where answering from a shared rendering takes 0.25 ms. Anything that makes an answer personal
// keeps it out: a cookie or credentials on the request; a Set-Cookie, a Cache-Control of the route's own
// or a status other than 200 on the answer.
const SHARED_TTL_MS = 10_000;
const SHARED_ENTRIES = 200;
const shared = new Map<string, { page: Page; expires: number }>();

function sharedKey(request: Request): string | null {
	if (request.method !== 'GET' || request.headers.has('cookie') || request.headers.has('authorization')) return null;
	// SvelteKit picks a page or an endpoint by Accept, so the answer may differ by it.
	return `${request.url} ${request.headers.get('accept') ?? ''}`;
}

/** Forgets every shared page (tests, and a change of what anonymous visitors see). */
export function clearSharedPages(): void {
	shared.clear();
}

/**
 * Adds a validator, a 304 for a matching If-None-Match, Cache-Control and compression to an HTML answer.
 * `render` is SvelteKit's resolve. With `share`, an anonymous GET may be answered from an earlier
 * rendering of the same URL (see above); only pass it for routes whose pages depend on nothing else.
 */
export async function deliverHtml(
	request: Request,
	render: () => Response | Promise<Response>,
	share = false
): Promise<Response> {
	const key = share ? sharedKey(request) : null;
	const now = Date.now();
	const hit = key ? shared.get(key) : undefined;
	if (hit && hit.expires > now) return answer(request, hit.page);

	const response = await render();
	const page = await prepare(request, response);
	if (!page) return response;
	if (key) {
		shared.delete(key);
		if (page.status === 200 && page.defaultCacheControl && !page.headers.has('set-cookie')) {
			shared.set(key, { page, expires: now + SHARED_TTL_MS });
			if (shared.size > SHARED_ENTRIES) shared.delete(shared.keys().next().value!);
		}
	}
	return answer(request, page);
}
