import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrice } from '../src/lib/format';
import { fixtureCourse } from './support/fixture-course';
import { startExpectingFailure, startServer, type TestServer } from './support/server';
import { addUser, outcome, signIn } from './support/students';

const { course, dir: courseDir, free, paid } = fixtureCourse();

/** Sentences from a lesson file's body: the longest one of each paragraph, which only that lesson has. */
function sentencesOf(file: string): string[] {
	const body = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
	return body
		.split(/\n\s*\n/)
		.map((paragraph) => paragraph.trim())
		.filter((paragraph) => paragraph && !paragraph.startsWith('#'))
		.map((paragraph) =>
			paragraph
				.split(/(?<=[।?!])\s+/)
				.map((s) => s.trim())
				.reduce((a, b) => (b.length > a.length ? b : a), '')
		);
}

/** What a response says, however it is encoded: as sent, with HTML entities decoded, and every JSON string. */
function readings(body: string): string[] {
	const decoded = body
		.replace(/&#x([\da-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
	const strings: string[] = [];
	try {
		JSON.stringify(JSON.parse(body), (_, value: unknown) => {
			if (typeof value === 'string') strings.push(value);
			return value;
		});
	} catch {
		// not JSON
	}
	return [body, decoded, strings.join('\n')];
}

function says(body: string, text: string): boolean {
	return readings(body).some((reading) => reading.includes(text));
}

let server: TestServer;

async function get(path: string): Promise<{ status: number; body: string; location: string | null; type: string }> {
	const res = await fetch(new URL(path, server.origin), { redirect: 'manual' });
	return {
		status: res.status,
		body: await res.text(),
		location: res.headers.get('location'),
		type: res.headers.get('content-type') ?? ''
	};
}

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

describe('the sales page', () => {
	it('is in Bengali, with the title, the promise and who the course is for', async () => {
		const { status, body } = await get('/');
		expect(status).toBe(200);
		expect(body).toContain('<html lang="bn">');
		expect(says(body, course.title)).toBe(true);
		expect(says(body, course.promise)).toBe(true);
		for (const line of course.audience) expect(says(body, line), line).toBe(true);
	});

	it('lists every lesson with its number in Bengali digits, its title and its summary', async () => {
		const { body } = await get('/');
		expect(course.lessons).toHaveLength(6);
		for (const lesson of course.lessons) {
			expect(says(body, lesson.title), lesson.title).toBe(true);
			expect(says(body, lesson.summary), lesson.summary).toBe(true);
		}
		const numbers = [...body.matchAll(/class="lesson-number[^"]*"[^>]*>([^<]*)</g)].map((m) => m[1].trim());
		expect(numbers).toEqual(['০', '১', '২', '৩', '৪', '৫']);
	});

	it('shows the price as ৳৯৯৯ with a buy button that posts to /checkout', async () => {
		const { body } = await get('/');
		expect(formatPrice(course.price, course.currency)).toBe('৳৯৯৯');
		expect(body).toContain('৳৯৯৯');
		expect(body).toMatch(/<form[^>]*method="POST"[^>]*action="\/checkout"/);
	});

	it('links the free previews', async () => {
		const { body } = await get('/');
		expect(free.map((l) => l.slug)).toEqual(['welcome', 'knife-skills']);
		for (const lesson of free) expect(body).toContain(`href="/lessons/${lesson.slug}"`);
	});

	it('sends no JavaScript (JSON-LD for search engines is data, not a script)', async () => {
		const { body } = await get('/');
		expect(body.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')).not.toContain('<script');
	});

	it('answers the buy button without a server error', async () => {
		const res = await fetch(new URL('/checkout', server.origin), {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.origin, 'content-type': 'application/x-www-form-urlencoded' },
			body: ''
		});
		expect(res.status).toBeLessThan(500);
	});
});

describe('a free preview lesson', () => {
	it.each(free.map((l) => [l.slug, l] as const))(
		'/lessons/%s shows its text and its task to everyone',
		async (slug, lesson) => {
			const { status, body } = await get(`/lessons/${slug}`);
			expect(status).toBe(200);
			expect(says(body, lesson.title)).toBe(true);
			for (const sentence of sentencesOf(lesson.file)) expect(says(body, sentence), sentence).toBe(true);
			expect(says(body, 'এই পাঠের কাজ')).toBe(true);
			expect(lesson.task).toBeTypeOf('string');
			expect(says(body, lesson.task!)).toBe(true);
			expect(body).not.toContain('<script');
		}
	);

	it("a free lesson's __data.json carries Bengali text (so the leak checks below can see text in JSON), but not the lesson body, which is rendered on the server only", async () => {
		const { status, body } = await get(`/lessons/${free[0].slug}/__data.json`);
		expect(status).toBe(200);
		expect(says(body, free[0].summary), free[0].summary).toBe(true);
		for (const sentence of sentencesOf(free[0].file)) expect(says(body, sentence), sentence).toBe(false);
	});

	it('links the next lesson', async () => {
		const { body } = await get(`/lessons/${course.lessons[0].slug}`);
		expect(body).toContain(`<a href="/lessons/${course.lessons[1].slug}" rel="next"`);
	});
});

describe('a paid lesson, to readers who have not bought it', () => {
	const secrets = paid.map((lesson) => ({
		lesson,
		sentences: [...sentencesOf(lesson.file), ...(lesson.task === undefined ? [] : [lesson.task])]
	}));

	it('has distinctive sentences to look for', () => {
		expect(paid.length).toBe(4);
		for (const { lesson, sentences } of secrets) {
			// One from each of the three paragraphs, and the task where the lesson has one.
			expect(sentences.length, lesson.file).toBe(lesson.task === undefined ? 3 : 4);
			for (const sentence of sentences) expect(sentence.length, `${lesson.file}: "${sentence}"`).toBeGreaterThan(40);
		}
		expect(secrets.some(({ lesson }) => lesson.task === undefined)).toBe(true);
	});

	it.each(paid.map((l) => [l.slug, l] as const))(
		'/lessons/%s sends an anonymous reader to sign in and back',
		async (slug) => {
			const { status, location } = await get(`/lessons/${slug}`);
			expect(status).toBe(303);
			expect(decodeURIComponent(location ?? '')).toMatch(new RegExp(`^/login\\?next=/lessons/${slug}\\b`));
		}
	);

	it.each(paid.map((l) => [l.slug, l] as const))(
		'/lessons/%s shows a signed-in reader who has not bought it its title, the price and a way to buy',
		async (slug, lesson) => {
			const email = `browsing-${slug}@example.com`;
			addUser(server.db, email);
			const { status, body } = await outcome(await (await signIn(server, email)).get(`/lessons/${slug}`));
			expect(status).toBe(403);
			expect(says(body, `«${lesson.title}» পড়তে কোর্সটি কিনুন`)).toBe(true);
			expect(says(body, formatPrice(course.price, course.currency))).toBe(true);
			expect(body).toMatch(/action="\/checkout"/);
		}
	);

	it('appears in no response to an anonymous reader: pages, __data.json, the sales page', async () => {
		const paths = [
			'/',
			'/__data.json',
			'/__data.json?x-sveltekit-invalidated=11',
			...course.lessons.flatMap((l) => [
				`/lessons/${l.slug}`,
				`/lessons/${l.slug}/__data.json`,
				`/lessons/${l.slug}/__data.json?x-sveltekit-invalidated=11`
			]),
			'/lessons/no-such-lesson',
			'/healthz'
		];
		const leaks: string[] = [];
		for (const path of paths) {
			const { status, body } = await get(path);
			expect(status, path).toBeLessThan(500);
			for (const { lesson, sentences } of secrets)
				for (const sentence of sentences)
					if (says(body, sentence)) leaks.push(`${path} shows ${lesson.slug}: "${sentence.slice(0, 60)}…"`);
		}
		expect(leaks).toEqual([]);
	});

	it('its __data.json carries no lesson text', async () => {
		for (const lesson of paid) {
			const { status, body, type } = await get(`/lessons/${lesson.slug}/__data.json`);
			expect(status).toBe(200);
			expect(type).toContain('application/json');
			expect(body).not.toContain('<p>');
			expect(says(body, lesson.html)).toBe(false);
		}
	});
});

describe('the webfont', () => {
	it('is served by the store itself, from every page that uses it', async () => {
		for (const path of ['/', `/lessons/${free[0].slug}`, '/login', '/lessons/no-such-lesson']) {
			const { body } = await get(path);
			const stylesheets = [...body.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
			let css = [...body.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
			for (const href of stylesheets) css += (await get(new URL(href, server.origin + path).pathname)).body;
			const fonts = [...css.matchAll(/url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/g)].map((m) => m[1]);
			expect(
				fonts.some((url) => url.includes('noto-sans-bengali-bengali-400')),
				path
			).toBe(true);
			for (const url of fonts) {
				const resolved = new URL(url, server.origin + path);
				expect(resolved.origin, url).toBe(server.origin);
				const res = await fetch(resolved);
				expect(res.status, `${path} asks for ${resolved.pathname}`).toBe(200);
				await res.body?.cancel();
			}
		}
	});
});

describe('other pages', () => {
	it('an unknown lesson is a 404 in Bengali', async () => {
		for (const path of ['/lessons/no-such-lesson', '/lessons/ভূমিকা', '/no-such-page']) {
			const { status, body } = await get(path);
			expect(status, path).toBe(404);
			expect(says(body, 'পাওয়া যায়নি'), path).toBe(true);
			expect(body).toContain('<html lang="bn">');
		}
	});

	it('/healthz answers 200 when the database answers', async () => {
		const { status } = await get('/healthz');
		expect(status).toBe(200);
	});
});

describe('the server refuses to start', () => {
	it('on a broken course, naming the file and the line', async () => {
		const dir = join(mkdtempSync(join(tmpdir(), 'course-test-')), 'course');
		try {
			cpSync(courseDir, dir, { recursive: true });
			const lesson = join(dir, 'lessons', '03-lentils.md');
			writeFileSync(lesson, readFileSync(lesson, 'utf8').replace(/^title:.*\n/m, ''));
			const { code, output } = await startExpectingFailure({ COURSE_DIR: dir });
			expect(code, output).not.toBe(0);
			expect(code, output).not.toBeNull();
			expect(output).toContain(`${lesson}:2 missing title`);
		} finally {
			rmSync(resolve(dir, '..'), { recursive: true, force: true });
		}
	});

	it.each([
		[{ STRIPE_SECRET_KEY: 'sk_test_123' }, 'STRIPE_WEBHOOK_SECRET'],
		[{ RESEND_API_KEY: 're_123' }, 'MAIL_POSTAL_ADDRESS'],
		[{ ADMIN_EMAILS: 'seller' }, 'ADMIN_EMAILS'],
		[{ DRIP_INTERVAL_SECONDS: 'often' }, 'DRIP_INTERVAL_SECONDS'],
		[{ ORIGIN: 'https://course.example.com/shop' }, 'ORIGIN']
	])('on %o, naming %s', async (env, name) => {
		const { code, output } = await startExpectingFailure(env);
		expect(code, output).not.toBe(0);
		expect(code, output).not.toBeNull();
		expect(output).toContain(name);
	});
});
