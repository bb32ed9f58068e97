/**
 * What the store tells link previews and search engines: each page's tags, schema.org JSON-LD for the sales
 * page, /sitemap.xml and /robots.txt. Every address is absolute, from ORIGIN. Nothing here reads a paid
 * lesson's text: a lesson's tags carry its title and summary alone.
 */
import type { PageMeta } from '../page-meta';
import { course, type Lesson } from './course';
import { config } from './env';
import { faqItems, sellerName } from './page-content';
import { LEGAL_PAGES } from '../legal-pages';
import { courseShareImage, lessonShareImage, type ShareImage } from './share-cards';

function absolute(path: string): string {
	return `${config().origin}${path}`;
}

function image(share: ShareImage | undefined): PageMeta['image'] {
	return share && { url: absolute(share.path), width: share.width, height: share.height, alt: share.alt };
}

/** The sales page's description: the subtitle, else the promise's opening. */
function courseDescription(): string {
	const { subtitle, promise } = course();
	return subtitle || promise.slice(0, 150);
}

export function salesPageMeta(): PageMeta {
	const { title } = course();
	return {
		title,
		description: courseDescription(),
		url: absolute('/'),
		type: 'website',
		siteName: title,
		image: image(courseShareImage())
	};
}

/** A lesson's tags: its title and summary; a picture only for a free lesson. */
export function lessonMeta(lesson: Lesson): PageMeta {
	return {
		title: lesson.title,
		description: lesson.summary,
		url: absolute(`/lessons/${lesson.slug}`),
		type: 'article',
		siteName: course().title,
		image: lesson.free ? image(lessonShareImage(lesson.slug)) : undefined
	};
}

/** A legal page's tags; its preview shows the course's picture. */
export function legalPageMeta(slug: string, title: string, summary: string | undefined): PageMeta {
	return {
		title,
		description: summary ?? courseDescription(),
		url: absolute(`/${slug}`),
		type: 'website',
		siteName: course().title,
		image: image(courseShareImage())
	};
}

/** A <script type="application/ld+json"> element; "<" is escaped so that no text can close it early. */
function jsonLd(value: unknown): string {
	return `<script type="application/ld+json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

/** The price as schema.org writes it: major units with a dot, e.g. "1500" or "19.99". */
export function schemaPrice(minor: number): string {
	return (minor / 100).toFixed(minor % 100 === 0 ? 0 : 2);
}

// Built once: they depend on the course and the environment, read at start-up.
let courseLd: string | undefined;
let faqLd: string | null | undefined;

/** schema.org Course: name, description, provider, language, the catalogue's offer, and the free lessons as its parts. */
export function courseJsonLd(): string {
	return (courseLd ??= buildCourseJsonLd());
}

function buildCourseJsonLd(): string {
	const c = course();
	const url = absolute('/');
	return jsonLd({
		'@context': 'https://schema.org',
		'@type': 'Course',
		'@id': `${url}#course`,
		name: c.title,
		description: courseDescription(),
		url,
		inLanguage: 'bn',
		image: absolute(courseShareImage().path),
		author: { '@type': 'Person', name: c.author },
		provider: { '@type': 'Organization', name: sellerName(), url },
		isAccessibleForFree: false,
		offers: {
			'@type': 'Offer',
			category: 'Paid',
			price: schemaPrice(c.price),
			priceCurrency: c.currency,
			availability: 'https://schema.org/InStock',
			url
		},
		hasPart: c.lessons
			.filter((l) => l.free)
			.map((l) => ({
				'@type': 'LearningResource',
				name: l.title,
				description: l.summary,
				url: absolute(`/lessons/${l.slug}`),
				inLanguage: 'bn',
				isAccessibleForFree: true
			}))
	});
}

/** schema.org FAQPage of the sales page's questions, or null when there are none. */
export function faqJsonLd(): string | null {
	if (faqLd === undefined) faqLd = buildFaqJsonLd();
	return faqLd;
}

function buildFaqJsonLd(): string | null {
	const items = faqItems();
	if (!items.length) return null;
	return jsonLd({
		'@context': 'https://schema.org',
		'@type': 'FAQPage',
		mainEntity: items.map((item) => ({
			'@type': 'Question',
			name: item.question,
			acceptedAnswer: { '@type': 'Answer', text: item.html }
		}))
	});
}

/** Every page anyone may read: the sales page, the free lessons and the legal pages. Never a paid lesson. */
export function publicPaths(): string[] {
	const free = course()
		.lessons.filter((l) => l.free)
		.map((l) => `/lessons/${l.slug}`);
	return ['/', ...free, ...LEGAL_PAGES.map((p) => `/${p}`)];
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function sitemapXml(): string {
	const urls = publicPaths()
		.map((path) => `<url><loc>${absolute(path).replace(/[&<>"']/g, (c) => XML_ESCAPES[c])}</loc></url>`)
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}

/** Routes that are someone's own (an account, a checkout, a mailbox) or that act: never for a search index. */
export const PRIVATE_PATHS = [
	'/admin',
	'/api/',
	'/checkout',
	'/course',
	'/dev/',
	'/login',
	'/logout',
	'/pay/',
	'/subscribe',
	'/unsubscribe'
];

export function robotsTxt(): string {
	const rules = PRIVATE_PATHS.map((path) => `Disallow: ${path}`).join('\n');
	return `User-agent: *\n${rules}\n\nSitemap: ${absolute('/sitemap.xml')}\n`;
}
