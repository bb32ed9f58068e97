// Who gets the guide: only students whose lessons are all open, by every route; the seller gets an unstamped copy.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/lib/server/course';
import { addBuyer } from '../support/ebook';
import { FIXTURE_COURSE_DIR, fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { launchApp, startServer, type TestServer } from '../support/server';
import { lessonOpensAt } from '../../src/lib/server/drip';
import { addUser, bengaliDay, enrol, outcome, signIn } from '../support/students';

const ADMIN = 'seller@example.com';
const FILES = ['/course/ebook.epub', '/course/ebook.pdf'];
let server: TestServer;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
});
afterAll(async () => {
	await server?.stop();
});

/** When a student enrolled at enrolledAt can first download the book: the day the last lesson opens. */
function lastOpening(enrolledAt: number): number {
	const { course } = fixtureCourse();
	return Math.max(...course.lessons.filter((l) => !l.free).map((l) => lessonOpensAt(enrolledAt, l, course.timezone)));
}

describe('who may download the guide', () => {
	it('answers 404, with no book, to anyone signed out, on the file and its __data.json', async () => {
		const anonymous = new Browser(server.origin);
		for (const path of [...FILES, ...FILES.map((f) => `${f}/__data.json`), '/course/ebook.mobi']) {
			const res = await anonymous.get(path);
			expect(res.status, path).toBe(404);
			expect(res.headers.get('content-type') ?? '', path).not.toMatch(/epub|pdf/);
		}
	});

	it('answers 404 to someone signed in who has not bought, and to a student whose access ended', async () => {
		addUser(server.db, 'visitor@example.com');
		const ended = addUser(server.db, 'refunded@example.com');
		enrol(server.db, ended, { daysAgo: 60, status: 'revoked' });
		for (const email of ['visitor@example.com', 'refunded@example.com']) {
			const browser = await signIn(server, email);
			for (const path of [...FILES, ...FILES.map((f) => `${f}/__data.json`)]) {
				const res = await browser.get(path);
				expect(res.status, `${email} ${path}`).toBe(404);
				expect(res.headers.get('content-type') ?? '', path).not.toMatch(/epub|pdf/);
			}
		}
	});

	it('keeps it from a student until the last lesson opens, and says on /course from which day', async () => {
		const buyer = addBuyer(server.db, 'new@example.com', 'নতুন শিক্ষার্থী', { daysAgo: 0 });
		const browser = await signIn(server, buyer.email);
		for (const path of FILES) expect((await browser.get(path)).status, path).toBe(404);
		const enrolledAt = (
			server.db.prepare('select enrolled_at as at from enrolments where user_id = ?').get(buyer.id) as { at: number }
		).at;
		const page = await (await browser.get('/course')).text();
		expect(page).toContain(bengaliDay(lastOpening(enrolledAt)));
		expect(page).not.toContain('/course/ebook.epub');
	});

	it('gives it to a student whose lessons the seller opened, linked from /course', async () => {
		const buyer = addBuyer(server.db, 'opened@example.com', 'খোলা শিক্ষার্থী', { daysAgo: 0, allLessonsOpen: true });
		const browser = await signIn(server, buyer.email);
		const page = await (await browser.get('/course')).text();
		expect(page).toContain('href="/course/ebook.epub"');
		expect(page).toContain('href="/course/ebook.pdf"');
		const epub = await browser.get('/course/ebook.epub');
		expect(epub.status).toBe(200);
		const pdf = await browser.get('/course/ebook.pdf');
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expect(strFromU8(new Uint8Array(await pdf.arrayBuffer()).subarray(0, 5))).toBe('%PDF-');
	});

	it("gives the seller an unstamped copy at /admin, and keeps /admin's copies from everyone else", async () => {
		const admin = await signIn(server, ADMIN);
		const res = await admin.get('/admin/ebook.epub');
		expect(res.status).toBe(200);
		const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
		const all = Object.values(files)
			.map((f) => strFromU8(f, true))
			.join('');
		expect(all).not.toContain(ADMIN);
		expect(all).not.toContain('store:order');
		expect((await admin.get('/admin/ebook.pdf')).status).toBe(200);
		expect(await (await admin.get('/admin')).text()).toContain('href="/admin/ebook.epub"');

		const student = await signIn(server, 'opened@example.com');
		expect((await student.get('/admin/ebook.epub')).status).toBe(404);
		const anonymous = await outcome(await new Browser(server.origin).get('/admin/ebook.pdf'));
		expect(anonymous.status).toBe(303);
	});
});

describe('a change to a lesson', () => {
	it('makes the next download a new book with the new text', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ebook-course-'));
		const courseDir = join(dir, 'course');
		cpSync(FIXTURE_COURSE_DIR, courseDir, { recursive: true });
		const dbPath = join(dir, 'store.db');
		const env = { COURSE_DIR: courseDir };
		const lesson = loadCourse(courseDir).lessons.at(-1)!;
		const added = 'এই বাক্যটি পাঠে পরে যোগ করা হয়েছে।';
		const download = async (): Promise<string> => {
			const app = await launchApp(dbPath, env);
			try {
				const browser = await signIn({ ...server, origin: app.origin, db: setup }, 'changed@example.com');
				const res = await browser.get('/course/ebook.epub');
				expect(res.status).toBe(200);
				const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
				const chapter = Object.keys(files)
					.filter((f) => /chapter-\d+\.xhtml$/.test(f))
					.sort()
					.at(-1)!;
				return strFromU8(files[chapter]);
			} finally {
				await app.stop();
			}
		};
		const first = await launchApp(dbPath, env);
		await first.stop();
		const Database = (await import('better-sqlite3')).default;
		const setup = new Database(dbPath);
		try {
			addBuyer(setup, 'changed@example.com', 'বদল', { daysAgo: 60 });
			const before = await download();
			expect(before).not.toContain(added);
			writeFileSync(lesson.file, `${readFileSync(lesson.file, 'utf8').trimEnd()}\n\n${added}\n`);
			const after = await download();
			expect(after).toContain(added);
		} finally {
			setup.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
