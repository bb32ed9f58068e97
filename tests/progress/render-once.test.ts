/**
 * Signed-in readers' lesson pages and /course are rendered once per state and kept
 * (src/lib/server/rendered-pages.ts). Two students whose progress differs, with requests interleaved and
 * lessons marked done and undone in between: each must always see their own state, never the other's and
 * never the one before their last change.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lessonOpensAt } from '../../src/lib/server/drip';
import { serverClock } from '../support/clock';
import { fixtureCourse } from '../support/fixture-course';
import type { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, bengaliDay, DAY, enrol, signIn, submit } from '../support/students';

const { course, paidAtOnce, opensLast } = fixtureCourse();
const total = course.lessons.length;
const bn = (n: number) => n.toLocaleString('bn-BD');
let server: TestServer;

// The server's clock can be moved forward (tests/support/clock.ts), to cross a midnight between requests.
const clock = serverClock();

beforeAll(async () => {
	server = await startServer(clock.env);
});

afterAll(async () => {
	await server?.stop();
	clock.remove();
});

beforeEach(() => {
	clock.reset();
	server.db.exec(
		'delete from certificates; delete from progress; delete from sessions; delete from enrolments; delete from users;'
	);
});

async function student(email: string, daysAgo: number): Promise<Browser> {
	enrol(server.db, addUser(server.db, email), { daysAgo });
	return signIn(server, email);
}

/** "done" or "open" as the lesson page's progress form says it. */
async function lessonMark(browser: Browser, slug: string): Promise<'done' | 'open'> {
	const res = await browser.get(`/lessons/${slug}`);
	expect(res.status).toBe(200);
	const html = await res.text();
	const done = html.includes('action="?/undo"');
	expect(done !== html.includes('action="?/done"')).toBe(true);
	return done ? 'done' : 'open';
}

/** How many lessons /course counts done. */
async function courseCount(browser: Browser): Promise<string> {
	const html = await (await browser.get('/course')).text();
	return /([০-৯]+) \/ [০-৯]+ পাঠ শেষ/.exec(html)?.[1] ?? 'no count';
}

const markDone = (b: Browser, slug: string) => submit(b, `/lessons/${slug}?/done`);
const undo = (b: Browser, slug: string) => submit(b, `/lessons/${slug}?/undo`);

describe('pages kept per state', () => {
	it('show each of two students their own progress, through interleaved requests and changes', async () => {
		const ana = await student('ana@example.com', 30);
		const bo = await student('bo@example.com', 30);
		const lesson = paidAtOnce.slug;

		expect(await lessonMark(ana, lesson)).toBe('open');
		expect(await lessonMark(bo, lesson)).toBe('open');
		expect((await markDone(ana, lesson)).status).toBe(303);
		expect(await lessonMark(ana, lesson)).toBe('done');
		expect(await lessonMark(bo, lesson)).toBe('open');
		expect(await courseCount(ana)).toBe(bn(1));
		expect(await courseCount(bo)).toBe(bn(0));

		expect((await markDone(bo, lesson)).status).toBe(303);
		expect((await undo(ana, lesson)).status).toBe(303);
		expect(await lessonMark(bo, lesson)).toBe('done');
		expect(await lessonMark(ana, lesson)).toBe('open');
		expect(await courseCount(bo)).toBe(bn(1));
		expect(await courseCount(ana)).toBe(bn(0));

		expect((await undo(bo, lesson)).status).toBe(303);
		expect(await lessonMark(bo, lesson)).toBe('open');
		expect(await courseCount(bo)).toBe(bn(0));
		expect(await lessonMark(ana, lesson)).toBe('open');
	});

	it('never answer 304 to a page kept from before the reader marked the lesson', async () => {
		const ana = await student('ana@example.com', 30);
		const lesson = paidAtOnce.slug;
		const before = await ana.get(`/lessons/${lesson}`);
		const etag = before.headers.get('etag');
		expect(etag).toBeTruthy();
		expect((await ana.get(`/lessons/${lesson}`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
		await markDone(ana, lesson);
		const after = await ana.get(`/lessons/${lesson}`, { headers: { 'if-none-match': etag! } });
		expect(after.status).toBe(200);
		expect(await after.text()).toContain('action="?/undo"');
	});

	it("show a student enrolled today the locked lesson and the counts of their own day, not a month-old student's", async () => {
		expect(opensLast.dripDay).toBeGreaterThan(0);
		const old = await student('old@example.com', opensLast.dripDay + 1);
		const today = await student('today@example.com', 0);
		const lockedFor = async (b: Browser) =>
			(await (await b.get(`/lessons/${opensLast.slug}`)).text()).includes('এই পাঠ খুলবে');

		expect(await lockedFor(old)).toBe(false);
		expect(await lockedFor(today)).toBe(true);
		expect(await lockedFor(old)).toBe(false);
		const openLinks = async (b: Browser) =>
			((await (await b.get('/course')).text()).match(/href="\/lessons\//g) ?? []).length;
		const oldLinks = await openLinks(old);
		const todayLinks = await openLinks(today);
		expect(todayLinks).toBeLessThan(oldLinks);
		expect(await openLinks(old)).toBe(oldLinks);
		expect(await courseCount(today)).toBe(bn(0));
		expect(total).toBeGreaterThan(1);
	});
});

describe('pages kept per state, as time passes and access changes', () => {
	const enrolledAt = (email: string): number =>
		(
			server.db
				.prepare('select enrolled_at from enrolments join users on users.id = enrolments.user_id where email = ?')
				.get(email) as { enrolled_at: number }
		).enrolled_at;
	const page = async (b: Browser, path: string) => (await b.get(path)).text();

	it('show a lesson open, on its page and on /course, once its midnight passed between two requests', async () => {
		expect(opensLast.dripDay).toBeGreaterThan(0);
		// Enrolled so that the last lesson opens at the coming midnight in the course's timezone.
		const soon = await student('soon@example.com', opensLast.dripDay - 1);
		const today = await student('today@example.com', 0);
		const opensAt = lessonOpensAt(enrolledAt('soon@example.com'), opensLast, course.timezone);
		expect(opensAt).toBeGreaterThan(Date.now());
		expect(opensAt - Date.now()).toBeLessThanOrEqual(DAY);
		const lessonPath = `/lessons/${opensLast.slug}`;
		const link = `href="${lessonPath}"`;

		for (const b of [soon, today, soon]) {
			const lesson = await page(b, lessonPath);
			expect(lesson).toContain('এই পাঠ খুলবে');
			expect(lesson).not.toContain('action="?/done"');
			expect(await page(b, '/course')).not.toContain(link);
		}
		const before = await page(soon, '/course');
		expect(before).toContain(`খুলবে ${bengaliDay(opensAt)}`);
		expect(before).not.toContain('/course/ebook.epub');

		// A minute past that midnight, on the server's clock.
		clock.at(opensAt + 60_000);
		const lesson = await page(soon, lessonPath);
		expect(lesson).not.toContain('এই পাঠ খুলবে');
		expect(lesson).toContain('action="?/done"');
		const after = await page(soon, '/course');
		expect(after).toContain(link);
		expect(after).not.toContain(`খুলবে ${bengaliDay(opensAt)}`);
		expect(after).toContain('/course/ebook.epub');
		// The student enrolled today is a day further on too, and no further.
		const stillLocked = opensLast.dripDay > 1;
		expect((await page(today, lessonPath)).includes('এই পাঠ খুলবে')).toBe(stillLocked);
		expect((await page(today, '/course')).includes(link)).toBe(!stillLocked);
	});

	it('answer a reader whose enrolment was revoked with the ended page, not a page kept from before', async () => {
		const ana = await student('ana@example.com', 30);
		const bo = await student('bo@example.com', 30);
		const lessonPath = `/lessons/${paidAtOnce.slug}`;
		expect(await lessonMark(ana, paidAtOnce.slug)).toBe('open');
		expect((await ana.get('/course')).status).toBe(200);

		server.db
			.prepare(
				"update enrolments set status = 'revoked', revoked_reason = 'refund' where user_id = (select id from users where email = ?)"
			)
			.run('ana@example.com');
		for (const path of [lessonPath, '/course']) {
			const res = await ana.get(path);
			expect(res.status, path).toBe(403);
			const html = await res.text();
			expect(html).not.toContain('action="?/done"');
			expect(html).toContain('আর খোলা নেই');
		}
		expect(await lessonMark(bo, paidAtOnce.slug)).toBe('open');
	});

	it('send a renewed session cookie with a page kept from before', async () => {
		const ana = await student('ana@example.com', 30);
		for (const path of [`/lessons/${paidAtOnce.slug}`, '/course']) {
			expect((await ana.get(path)).status).toBe(200);
			server.db.prepare('update sessions set expires_at = ?').run(Date.now() + 10 * DAY);
			const res = await ana.get(path);
			expect(res.status).toBe(200);
			expect(
				res.headers.getSetCookie().find((c) => c.startsWith('session=')),
				path
			).toMatch(/Max-Age=259\d{4}/);
		}
	});
});
