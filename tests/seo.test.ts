import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bnDigits, formatPrice } from '../src/lib/format';
import { fixtureCourse } from './support/fixture-course';
import { LEGAL_PAGES } from '../src/lib/legal-pages';
import { chromiumMissing, launchChromium, screenshotPath } from './support/chromium';
import { Browser } from './support/http';
import { startServer, type TestServer } from './support/server';
import { addUser, enrol, lessonFixtures, signIn } from './support/students';

const { course } = fixtureCourse();
const free = course.lessons.filter((l) => l.free);
const paid = course.lessons.filter((l) => !l.free);
const FACEBOOK = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
const WHATSAPP = 'WhatsApp/2.23.20.0 A';

function decode(text: string): string {
	return text
		.replace(/&#x([\da-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** The head's <meta> tags by property or name ("og:title", "description"), each with its decoded contents. */
function metaTags(html: string): Map<string, string[]> {
	const head = html.slice(0, html.indexOf('</head>'));
	const tags = new Map<string, string[]>();
	for (const [, attributes] of head.matchAll(/<meta\s([^>]*)>/g)) {
		const attrs = Object.fromEntries(
			[...attributes.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, decode(v)])
		);
		const key = attrs.property ?? attrs.name;
		if (key && attrs.content !== undefined) tags.set(key, [...(tags.get(key) ?? []), attrs.content]);
	}
	return tags;
}

/** The one value of a tag, failing when it is missing or repeated. */
function one(tags: Map<string, string[]>, key: string): string {
	const values = tags.get(key) ?? [];
	expect(values, key).toHaveLength(1);
	return values[0];
}

function canonical(html: string): string | undefined {
	return /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1];
}

function jsonLd(html: string): Record<string, unknown>[] {
	return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
		([, json]) => JSON.parse(json) as Record<string, unknown>
	);
}

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

async function page(path: string, headers: Record<string, string> = {}) {
	const res = await fetch(new URL(path, server.origin), { redirect: 'manual', headers });
	return { res, html: await res.text() };
}

/** What every page that may be shared carries, checked against the course and ORIGIN. */
function expectPreviewTags(html: string, path: string, title: string, description: string) {
	const tags = metaTags(html);
	expect(one(tags, 'og:title')).toBe(title);
	expect(one(tags, 'og:description')).toBe(description);
	expect(one(tags, 'description')).toBe(description);
	expect(one(tags, 'og:url')).toBe(`${server.origin}${path}`);
	expect(canonical(html)).toBe(`${server.origin}${path}`);
	expect(one(tags, 'og:locale')).toBe('bn_BD');
	expect(one(tags, 'og:site_name')).toBe(course.title);
	expect(['website', 'article']).toContain(one(tags, 'og:type'));
	expect(one(tags, 'og:image')).toMatch(new RegExp(`^${server.origin}/share/[\\w-]+\\.png$`));
	expect(one(tags, 'og:image:width')).toBe('1200');
	expect(one(tags, 'og:image:height')).toBe('630');
	expect(one(tags, 'og:image:alt')).toContain(title);
	expect(one(tags, 'twitter:card')).toBe('summary_large_image');
	expect(one(tags, 'twitter:image')).toBe(one(tags, 'og:image'));
	expect(one(tags, 'twitter:title')).toBe(title);
	return tags;
}

/** PNG width and height from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
	expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('link previews', () => {
	it('the sales page carries Open Graph and Twitter tags from course.yaml and ORIGIN', async () => {
		const { res, html } = await page('/');
		expect(res.status).toBe(200);
		expectPreviewTags(html, '/', course.title, course.subtitle);
		expect(one(metaTags(html), 'og:type')).toBe('website');
	});

	it.each(free.map((l) => [l.slug, l] as const))(
		'the free lesson %s carries its own tags and picture',
		async (slug, lesson) => {
			const { res, html } = await page(`/lessons/${slug}`);
			expect(res.status).toBe(200);
			const tags = expectPreviewTags(html, `/lessons/${slug}`, lesson.title, lesson.summary);
			expect(one(tags, 'og:type')).toBe('article');
			expect(one(tags, 'og:image')).toContain(`/share/${slug}-`);
		}
	);

	it('a paid lesson, read by its student, carries its title and summary and none of its text', async () => {
		const fixtures = lessonFixtures().filter((f) => !f.lesson.free);
		expect(fixtures.length).toBe(paid.length);
		const id = addUser(server.db, 'reader@example.com');
		enrol(server.db, id, { allLessonsOpen: true });
		const browser = await signIn(server, 'reader@example.com');
		for (const { lesson, sentences } of fixtures) {
			expect(sentences.length, lesson.slug).toBeGreaterThan(0);
			const res = await browser.get(`/lessons/${lesson.slug}`);
			const html = await res.text();
			expect(res.status, lesson.slug).toBe(200);
			// The page shows the text (so its absence from the tags below means something) ...
			expect(decode(html), lesson.slug).toContain(sentences[0]);
			const tags = metaTags(html);
			expect(one(tags, 'og:title')).toBe(lesson.title);
			expect(one(tags, 'og:description')).toBe(lesson.summary);
			expect(canonical(html)).toBe(`${server.origin}/lessons/${lesson.slug}`);
			expect(tags.has('og:image'), lesson.slug).toBe(false);
			// ... and no tag carries any of it.
			const everyTag = [...tags.values()].flat().join('\n');
			for (const sentence of sentences) expect(everyTag, lesson.slug).not.toContain(sentence);
		}
	});

	it.each([
		['Facebook', FACEBOOK],
		['WhatsApp', WHATSAPP]
	])('%s’s crawler gets the tags at once: no redirect, no cookie, no script to run', async (_, agent) => {
		for (const [path, title] of [['/', course.title], ...free.map((l) => [`/lessons/${l.slug}`, l.title])]) {
			const { res, html } = await page(path, { 'user-agent': agent });
			expect(res.status, path).toBe(200);
			expect(res.headers.get('set-cookie'), path).toBeNull();
			expect(one(metaTags(html), 'og:title')).toBe(title);
			expect(html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, ''), path).not.toMatch(
				/<script/i
			);
		}
	});

	it('each picture address answers a 1200 × 630 PNG that may be cached for good', async () => {
		const paths = new Set<string>();
		for (const path of ['/', ...free.map((l) => `/lessons/${l.slug}`)]) {
			paths.add(one(metaTags((await page(path)).html), 'og:image'));
		}
		expect(paths.size).toBe(1 + free.length);
		for (const url of paths) {
			const res = await fetch(url, { headers: { 'user-agent': FACEBOOK } });
			expect(res.status, url).toBe(200);
			expect(res.headers.get('content-type')).toBe('image/png');
			expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
			expect(res.headers.get('set-cookie')).toBeNull();
			expect(pngSize(Buffer.from(await res.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
		}
	});

	it('an address with a hash that is not the current one answers 404', async () => {
		const url = one(metaTags((await page('/')).html), 'og:image');
		const stale = url.replace(/-[\w-]+\.png$/, '-0000000000000000.png');
		expect((await fetch(stale)).status).toBe(404);
		expect((await fetch(`${server.origin}/share/nothing.png`)).status).toBe(404);
	});
});

describe('search engines', () => {
	it('the sales page describes the course as schema.org JSON-LD, with the catalogue’s price and the free lessons as parts', async () => {
		const found = jsonLd((await page('/')).html);
		const ld = found.find((item) => item['@type'] === 'Course');
		expect(ld).toBeDefined();
		expect(ld!.name).toBe(course.title);
		expect(ld!.inLanguage).toBe('bn');
		expect(ld!.url).toBe(`${server.origin}/`);
		expect((ld!.provider as { name?: string }).name).toBeTruthy();
		const offers = ld!.offers as { price: string; priceCurrency: string };
		expect(Number(offers.price) * 100).toBe(course.price);
		expect(offers.priceCurrency).toBe(course.currency);
		const parts = ld!.hasPart as { name: string; url: string; isAccessibleForFree: boolean }[];
		expect(parts.map((p) => p.url)).toEqual(free.map((l) => `${server.origin}/lessons/${l.slug}`));
		expect(parts.map((p) => p.name)).toEqual(free.map((l) => l.title));
		expect(parts.every((p) => p.isAccessibleForFree)).toBe(true);
	});

	it('the sales page’s questions are FAQPage JSON-LD too', async () => {
		const faq = jsonLd((await page('/')).html).find((item) => item['@type'] === 'FAQPage');
		expect(course.storefront.faq.length).toBeGreaterThan(0);
		const questions = faq!.mainEntity as { name: string; acceptedAnswer: { text: string } }[];
		expect(questions.map((q) => q.name)).toEqual(course.storefront.faq.map((q) => q.question));
		for (const q of questions) expect(q.acceptedAnswer.text).not.toMatch(/\{\{|<script/);
	});

	it('/sitemap.xml lists exactly the public pages: the sales page, the free lessons and the legal pages', async () => {
		const res = await fetch(`${server.origin}/sitemap.xml`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
		const xml = await res.text();
		expect(xml).toMatch(
			/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/
		);
		const listed = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]).sort();
		const expected = ['/', ...free.map((l) => `/lessons/${l.slug}`), '/privacy', '/terms', '/refund', '/contact']
			.map((p) => `${server.origin}${p}`)
			.sort();
		expect(listed).toEqual(expected);
		for (const lesson of paid) expect(xml).not.toContain(`/lessons/${lesson.slug}<`);
	});

	it('/robots.txt points at the sitemap and keeps crawlers out of the private routes only', async () => {
		const res = await fetch(`${server.origin}/robots.txt`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		const text = await res.text();
		const disallowed = [...text.matchAll(/^Disallow: (\S+)$/gm)].map((m) => m[1]);
		for (const path of ['/admin', '/course', '/login', '/dev/', '/checkout', '/api/'])
			expect(disallowed, path).toContain(path);
		// Nothing that is meant to be found: the sales page, the lessons, the legal pages, the pictures.
		for (const path of ['/', '/lessons/', ...LEGAL_PAGES.map((p) => `/${p}`), '/share/', '/sitemap.xml'])
			expect(
				disallowed.some((rule) => path.startsWith(rule)),
				path
			).toBe(false);
		expect(text).toContain(`Sitemap: ${server.origin}/sitemap.xml`);
		expect(text).toMatch(/^User-agent: \*$/m);
	});
});

describe('the pages a store must have', () => {
	it.each(LEGAL_PAGES.map((slug) => [slug, course.pages.find((p) => p.slug === slug)!] as const))(
		'/%s answers in Bengali with its title and every placeholder filled',
		async (slug, legal) => {
			const { res, html } = await page(`/${slug}`);
			expect(res.status).toBe(200);
			expect(html).toContain('<html lang="bn">');
			expect(decode(html)).toMatch(new RegExp(`<h1[^>]*>${legal.title}</h1>`));
			expect(html).not.toMatch(/\{\{\s*[a-z_]+\s*\}\}/);
			expect(canonical(html)).toBe(`${server.origin}/${slug}`);
		}
	);

	it('every page’s footer links the four pages', async () => {
		const paths = [
			'/',
			...free.map((l) => `/lessons/${l.slug}`),
			...LEGAL_PAGES.map((p) => `/${p}`),
			'/login',
			'/no-such-page'
		];
		for (const path of paths) {
			const { html } = await page(path);
			const footer = html.slice(html.lastIndexOf('<footer'));
			for (const slug of LEGAL_PAGES) expect(footer, `${path} → /${slug}`).toContain(`href="/${slug}"`);
		}
	});

	it('the contact details come from the environment: the address in MAIL_FROM', async () => {
		const { html } = await page('/contact');
		expect(html).toContain('course@localhost');
		const refund = decode((await page('/refund')).html);
		expect(refund).toContain(`${bnDigits(course.storefront.refundDays!)} দিনের মধ্যে`);
	});

	it('the signup form’s consent links the privacy policy, and the checkout pages link the terms', async () => {
		const sales = (await page('/')).html;
		const consent = /<p class="consent[^"]*"[^>]*>([\s\S]*?)<\/p>/.exec(sales)?.[1] ?? '';
		expect(consent).toContain('href="/privacy"');

		const browser = new Browser(server.origin);
		const started = await browser.post('/checkout');
		expect(started.status).toBe(303);
		const checkout = await (await browser.get(started.headers.get('location')!)).text();
		for (const slug of ['terms', 'refund', 'privacy']) expect(checkout, slug).toContain(`href="/${slug}"`);
	});
});

describe('a sales page that answers questions', () => {
	it('shows every question as <details>, the author’s bio and the refund guarantee', async () => {
		const html = decode((await page('/')).html);
		const details = [...html.matchAll(/<details[^>]*>\s*<summary[^>]*>([^<]*)<\/summary>/g)].map((m) => m[1]);
		expect(details).toEqual(course.storefront.faq.map((q) => q.question));
		expect(course.storefront.authorBio).toBeTruthy();
		expect(html).toContain(course.storefront.authorBio!);
		if (course.storefront.refundDays !== undefined)
			expect(html).toContain(`${bnDigits(course.storefront.refundDays)} দিনের টাকা ফেরতের নিশ্চয়তা`);
		expect(html).toContain(formatPrice(course.price, course.currency));
	});
});

describe('at 360 px in Chromium', () => {
	it('the legal pages read without sideways scrolling, and an FAQ answer opens with no script', async (ctx) => {
		const missing = chromiumMissing();
		if (missing) ctx.skip(missing);
		const chromium = await launchChromium();
		try {
			const context = await chromium.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
			const tab = await context.newPage();
			for (const slug of LEGAL_PAGES) {
				await tab.goto(`${server.origin}/${slug}`);
				await tab.screenshot({ path: screenshotPath(`legal-${slug}-360.png`), fullPage: true });
				expect(await tab.evaluate(() => document.documentElement.scrollWidth), slug).toBeLessThanOrEqual(360);
			}
			await tab.goto(server.origin);
			const first = tab.locator('details.faq').first();
			expect(await first.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
			await first.locator('summary').click();
			expect(await first.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
			expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		} finally {
			await chromium.close();
		}
	});
});
