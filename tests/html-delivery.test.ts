import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseEncoding, clearSharedPages, deliverHtml, etagMatches } from '../src/lib/server/html-delivery';

const PAGE = `<!doctype html><html lang="bn"><body>${'<p>এটাই Passive Income আগে কাজ, পরে স্বাধীনতা।</p>'.repeat(60)}</body></html>`;

function html(body = PAGE, init: ResponseInit = {}): Response {
	return new Response(body, { status: 200, ...init, headers: { 'content-type': 'text/html', ...init.headers } });
}

/** deliverHtml for a page already rendered. */
function deliver(request: Request, response: Response): Promise<Response> {
	return deliverHtml(request, () => response);
}

function get(headers: Record<string, string> = {}, method = 'GET'): Request {
	return new Request('http://localhost/lessons/introduction', { method, headers });
}

describe('chooseEncoding', () => {
	it('prefers brotli, then gzip, as a browser offers them', () => {
		expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(chooseEncoding('gzip, deflate')).toBe('gzip');
		expect(chooseEncoding('*')).toBe('gzip');
	});

	it('sends nothing compressed to a client that asks for none or refuses with q=0', () => {
		expect(chooseEncoding(null)).toBeNull();
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding('br;q=0, gzip;q=0')).toBeNull();
		expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
	});
});

describe('etagMatches', () => {
	it('compares weakly, in lists, and accepts *', () => {
		expect(etagMatches('W/"abc"', 'W/"abc"')).toBe(true);
		expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
		expect(etagMatches('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
		expect(etagMatches('*', 'W/"abc"')).toBe(true);
		expect(etagMatches('W/"abd"', 'W/"abc"')).toBe(false);
		expect(etagMatches(null, 'W/"abc"')).toBe(false);
	});
});

describe('deliverHtml', () => {
	it('compresses with brotli or gzip by Accept-Encoding, and the bytes decode to the page', async () => {
		const br = await deliver(get({ 'accept-encoding': 'gzip, br' }), html());
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
		const brBytes = Buffer.from(await br.arrayBuffer());
		expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
		expect(brBytes.length).toBeLessThan(Buffer.byteLength(PAGE) / 4);
		expect(brotliDecompressSync(brBytes).toString()).toBe(PAGE);

		const gz = await deliver(get({ 'accept-encoding': 'gzip' }), html());
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(PAGE);

		const plain = await deliver(get(), html());
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(PAGE);
	});

	it('gives the same page the same weak ETag in every encoding, and answers a revalidation with 304', async () => {
		const first = await deliver(get({ 'accept-encoding': 'br' }), html());
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^W\/"[\w-]+"$/);
		expect((await deliver(get(), html())).headers.get('etag')).toBe(etag);
		expect(first.headers.get('cache-control')).toBe('private, no-cache');

		const again = await deliver(
			get({ 'if-none-match': etag, 'accept-encoding': 'br' }),
			html(PAGE, { headers: { 'set-cookie': 'session=x; Path=/' } })
		);
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		expect(again.headers.get('etag')).toBe(etag);
		expect(again.headers.get('cache-control')).toBe('private, no-cache');
		expect(again.headers.get('set-cookie')).toBe('session=x; Path=/');

		const changed = await deliver(get({ 'if-none-match': etag }), html(PAGE.replace('কাজ', 'কাজ!')));
		expect(changed.status).toBe(200);
		expect(changed.headers.get('etag')).not.toBe(etag);
	});

	it('keeps a route’s own Cache-Control', async () => {
		const res = await deliver(get(), html(PAGE, { headers: { 'cache-control': 'no-store' } }));
		expect(res.headers.get('cache-control')).toBe('no-store');
	});

	it('gives no validator to answers that are not a 200 GET, but still compresses them', async () => {
		const notFound = await deliver(
			get({ 'accept-encoding': 'br' }),
			html(PAGE, { status: 404, headers: { etag: '"kit"' } })
		);
		expect(notFound.status).toBe(404);
		expect(notFound.headers.get('etag')).toBeNull();
		expect(notFound.headers.get('content-encoding')).toBe('br');

		const post = await deliver(get({ 'accept-encoding': 'br', 'if-none-match': '*' }, 'POST'), html());
		expect(post.status).toBe(200);
		expect(post.headers.get('etag')).toBeNull();
	});

	it('leaves other answers alone: JSON, tiny pages, bodies already encoded', async () => {
		const json = new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
		expect(await deliver(get({ 'accept-encoding': 'br' }), json)).toBe(json);

		const tiny = await deliver(get({ 'accept-encoding': 'br' }), html('<p>ok</p>'));
		expect(tiny.headers.get('content-encoding')).toBeNull();
		expect(tiny.headers.get('etag')).not.toBeNull();

		const encoded = html('x', { headers: { 'content-encoding': 'gzip' } });
		expect(await deliver(get({ 'accept-encoding': 'br' }), encoded)).toBe(encoded);
	});
});

describe('pages shared between anonymous visitors', () => {
	let renders = 0;
	const render =
		(body = PAGE, init: ResponseInit = {}) =>
		() => {
			renders++;
			return html(body, init);
		};
	beforeEach(() => {
		renders = 0;
		clearSharedPages();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('renders a page once for anonymous GETs of the same URL, and answers each in its own encoding', async () => {
		const first = await deliverHtml(get({ 'accept-encoding': 'br' }), render(), true);
		const second = await deliverHtml(get({ 'accept-encoding': 'gzip' }), render(), true);
		const third = await deliverHtml(get({ 'if-none-match': first.headers.get('etag')! }), render(), true);
		expect(renders).toBe(1);
		expect(brotliDecompressSync(Buffer.from(await first.arrayBuffer())).toString()).toBe(PAGE);
		expect(gunzipSync(Buffer.from(await second.arrayBuffer())).toString()).toBe(PAGE);
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(second.headers.get('cache-control')).toBe('private, no-cache');
		expect(third.status).toBe(304);
	});

	it('renders again after ten seconds', async () => {
		vi.useFakeTimers({ now: Date.now() });
		await deliverHtml(get(), render(), true);
		vi.advanceTimersByTime(9_000);
		await deliverHtml(get(), render(), true);
		expect(renders).toBe(1);
		vi.advanceTimersByTime(2_000);
		await deliverHtml(get(), render(PAGE.replace('কাজ', 'নতুন কাজ')), true);
		expect(renders).toBe(2);
		expect(await (await deliverHtml(get(), render(), true)).text()).toContain('নতুন কাজ');
	});

	it('never shares what may be personal: requests with cookies or credentials, answers with Set-Cookie', async () => {
		await deliverHtml(get(), render(), true);
		await deliverHtml(get({ cookie: 'session=abc' }), render(PAGE.replace('কাজ', 'আপনার কাজ')), true);
		await deliverHtml(get({ authorization: 'Basic eDp5' }), render(), true);
		expect(renders).toBe(3);
		const signedIn = await deliverHtml(get({ cookie: 'session=abc' }), render(PAGE.replace('কাজ', 'আপনার কাজ')), true);
		expect(await signedIn.text()).toContain('আপনার কাজ');

		clearSharedPages();
		renders = 0;
		await deliverHtml(get(), render(PAGE, { headers: { 'set-cookie': 'binding=1' } }), true);
		await deliverHtml(get(), render(), true);
		expect(renders).toBe(2);
	});

	it('shares only 200 answers to GET on routes that ask for it, without a Cache-Control of their own', async () => {
		for (const [request, init, share] of [
			[get(), {}, false],
			[get({}, 'HEAD'), {}, true],
			[get({}, 'POST'), {}, true],
			[get(), { status: 404 }, true],
			[get(), { headers: { 'cache-control': 'no-store' } }, true]
		] as const) {
			clearSharedPages();
			renders = 0;
			await deliverHtml(request, render(PAGE, init), share);
			await deliverHtml(request, render(PAGE, init), share);
			expect(renders, `${request.method} ${JSON.stringify(init)} share=${share}`).toBe(2);
		}
	});

	it('keeps URLs and Accept headers apart', async () => {
		await deliverHtml(get(), render(), true);
		await deliverHtml(new Request('http://localhost/lessons/introduction?checkout=cancelled'), render(), true);
		await deliverHtml(get({ accept: 'application/json' }), render(), true);
		expect(renders).toBe(3);
	});
});
