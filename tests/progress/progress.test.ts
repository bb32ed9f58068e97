import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { addUser, bengaliDay, DAY, enrol, outcome, signIn, submit } from '../support/students';

const { course, paidAtOnce, opensLast } = fixtureCourse();
const lessons = course.lessons;
const slugs = lessons.map((l) => l.slug);
const [first, second] = slugs;
/** "n / total পাঠ শেষ" as the course page shows it, in Bengali digits. */
const done = (n: number): string => `${n.toLocaleString('bn-BD')} / ${lessons.length.toLocaleString('bn-BD')} পাঠ শেষ`;
let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

beforeEach(() => {
	server.db.exec(
		'delete from certificates; delete from progress; delete from sessions; delete from enrolments; delete from users;'
	);
});

async function student(email: string, daysAgo: number): Promise<{ id: number; browser: Browser }> {
	const id = addUser(server.db, email);
	enrol(server.db, id, { daysAgo });
	return { id, browser: await signIn(server, email) };
}

interface ProgressRow {
	lesson_slug: string;
	first_viewed_at: number;
	last_viewed_at: number;
	completed_at: number | null;
}

function rows(userId: number): ProgressRow[] {
	return server.db
		.prepare('select * from progress where user_id = ? order by lesson_slug')
		.all(userId) as ProgressRow[];
}

function continueLink(html: string): string {
	return /<a class="button wide continue" href="([^"]+)"/.exec(html)![1];
}

const markDone = (b: Browser, slug: string) => submit(b, `/lessons/${slug}?/done`);
const undo = (b: Browser, slug: string) => submit(b, `/lessons/${slug}?/undo`);

describe('a lesson page', () => {
	it('records the first and last view; a reload of the lesson being read writes nothing', async () => {
		const { id, browser } = await student('ana@example.com', 30);
		const view = (slug: string) => rows(id).find((r) => r.lesson_slug === slug)!;
		const paid = paidAtOnce.slug;
		await browser.get(`/lessons/${paid}`);
		const firstView = view(paid);
		expect(firstView.completed_at).toBeNull();
		await new Promise((r) => setTimeout(r, 5));
		await browser.get(`/lessons/${paid}`);
		expect(view(paid)).toEqual(firstView);
		await browser.get(`/lessons/${first}`);
		await new Promise((r) => setTimeout(r, 5));
		await browser.get(`/lessons/${paid}`);
		const again = view(paid);
		expect(again.first_viewed_at).toBe(firstView.first_viewed_at);
		expect(again.last_viewed_at).toBeGreaterThan(view(first).last_viewed_at);
	});

	it('has a "পাঠ শেষ করেছি" form that marks the lesson done, and an undo', async () => {
		const { id, browser } = await student('ana@example.com', 30);
		const page = await (await browser.get(`/lessons/${first}`)).text();
		expect(page).toContain('action="?/done"');
		expect(page).toContain('পাঠ শেষ করেছি');

		const marked = await markDone(browser, first);
		expect(marked.status).toBe(303);
		expect(marked.headers.get('location')).toBe(`/lessons/${first}#progress`);
		expect(rows(id)[0].completed_at).toBeGreaterThan(Date.now() - 60_000);
		const after = await (await browser.get(`/lessons/${first}`)).text();
		expect(after).toContain('action="?/undo"');

		expect((await undo(browser, first)).status).toBe(303);
		expect(rows(id)[0].completed_at).toBeNull();
	});

	it('refuses to mark a lesson that has not opened, or for someone not enrolled', async () => {
		const { id, browser } = await student('ana@example.com', 0);
		expect(opensLast.dripDay).toBeGreaterThan(0);
		expect((await markDone(browser, opensLast.slug)).status).toBe(403);
		const stranger = await signIn(server, 'nobody@example.com');
		expect((await markDone(stranger, first)).status).toBe(403);
		const anonymous = await markDone(new Browser(server.origin), paidAtOnce.slug);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
		expect(rows(id)).toEqual([]);
		expect(server.db.prepare('select count(*) n from progress').get()).toEqual({ n: 0 });
	});

	it('shows no progress form to a reader of a free preview who is not a student', async () => {
		const stranger = await signIn(server, 'nobody@example.com');
		expect(lessons[0].free).toBe(true);
		const page = await (await stranger.get(`/lessons/${first}`)).text();
		expect(page).not.toContain('?/done');
		expect(page).toContain('action="/checkout"');
	});
});

describe('GET /course', () => {
	it('sends a reader who is not signed in to sign in, and answers 403 to a non-student or a revoked one', async () => {
		const res = await new Browser(server.origin).get('/course');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?next=%2Fcourse');
		expect((await (await signIn(server, 'nobody@example.com')).get('/course')).status).toBe(403);
		enrol(server.db, addUser(server.db, 'gone@example.com'), { status: 'revoked' });
		const revoked = await (await signIn(server, 'gone@example.com')).get('/course');
		expect(revoked.status).toBe(403);
		expect(await revoked.text()).toContain('প্রবেশাধিকার শেষ হয়েছে');
	});

	it('shows "n / m" in Bengali digits, a progress bar, each lesson\'s state and a continue button', async () => {
		const { browser } = await student('ana@example.com', 3);
		let html = await (await browser.get('/course')).text();
		expect(html).toContain(done(0));
		expect(html).toContain('role="progressbar"');
		expect(continueLink(html)).toBe(`/lessons/${first}`);
		// Day 3: lessons with drip day up to 3 are open, the rest say when they open.
		const closed = lessons.filter((l) => l.dripDay > 3);
		expect(closed.length).toBeGreaterThan(0);
		for (const lesson of closed) {
			expect(html).toContain(`খুলবে ${bengaliDay(Date.now() + (lesson.dripDay - 3) * DAY)}`);
			expect(html).not.toContain(`href="/lessons/${lesson.slug}"`);
		}

		await markDone(browser, first);
		html = await (await browser.get('/course')).text();
		expect(html).toContain(done(1));
		expect(html).toContain('aria-valuenow="1"');
		expect(continueLink(html)).toBe(`/lessons/${second}`);
		expect(html).toContain('✓ শেষ');

		await undo(browser, first);
		expect(await (await browser.get('/course')).text()).toContain(done(0));
	});

	it('continues with the last lesson viewed once every open lesson is done', async () => {
		const { browser } = await student('ana@example.com', 0);
		const open = lessons.filter((l) => l.dripDay === 0).map((l) => l.slug);
		for (const slug of open) await markDone(browser, slug);
		await browser.get(`/lessons/${open[1]}`);
		const html = await (await browser.get('/course')).text();
		expect(html).toContain(done(open.length));
		expect(continueLink(html)).toBe(`/lessons/${open[1]}`);
	});
});

describe('completion and the certificate', () => {
	it('after the last lesson: a completion page asks for a name once, then a public certificate without the email', async () => {
		const { id, browser } = await student('ana.secret@example.com', 30);
		expect((await browser.get('/course/complete')).headers.get('location')).toBe('/course');
		for (const slug of slugs.slice(0, -1)) expect((await markDone(browser, slug)).status).toBe(303);
		expect(server.db.prepare('select count(*) n from certificates').get()).toEqual({ n: 0 });

		const last = await markDone(browser, slugs.at(-1)!);
		expect(last.headers.get('location')).toBe('/course/complete');
		const certificate = server.db.prepare('select id, completed_at from certificates where user_id = ?').get(id) as {
			id: string;
			completed_at: number;
		};
		expect(certificate.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

		const complete = await (await browser.get('/course/complete')).text();
		expect(complete).toContain('সার্টিফিকেটে কোন নাম থাকবে?');
		expect(await (await browser.get('/course')).text()).toContain(done(lessons.length));

		expect((await submit(browser, '/course/complete', { name: '   ' })).status).toBe(400);
		// A name is one line: line breaks and tabs typed or pasted into it become single spaces.
		expect((await submit(browser, '/course/complete', { name: 'আনা\r\n\u2028রহমান\t' })).status).toBe(303);
		expect(server.db.prepare('select name from users where id = ?').get(id)).toEqual({ name: 'আনা রহমান' });
		const named = await submit(browser, '/course/complete', { name: '  আনা রহমান ' });
		expect(named.status).toBe(303);
		expect(named.headers.get('location')).toBe(`/certificate/${certificate.id}`);

		const publicView = new Browser(server.origin);
		for (const path of [`/certificate/${certificate.id}`, `/certificate/${certificate.id}/__data.json`]) {
			const got = await outcome(await publicView.get(path));
			expect(got.status).toBe(200);
			expect(got.body).toContain('আনা রহমান');
			expect(got.body).toContain(course.title);
			expect(got.body).toContain(
				new Intl.DateTimeFormat('bn-BD', { dateStyle: 'long', timeZone: 'Asia/Dhaka' }).format(certificate.completed_at)
			);
			expect(got.body).not.toContain('ana.secret');
			expect(got.body).not.toContain('example.com');
		}
		const html = await (await publicView.get(`/certificate/${certificate.id}`)).text();
		expect(html).toMatch(/@page\s*{[^}]*size:\s*A4/);
		expect(html).toContain('@media print');
		expect(html).not.toContain('/course/complete');

		// The name stays editable; the certificate keeps its id and date.
		const again = await (await browser.get('/course/complete')).text();
		expect(again).toContain('value="আনা রহমান"');
		await submit(browser, '/course/complete', { name: 'আনা আর. রহমান' });
		expect(await (await publicView.get(`/certificate/${certificate.id}`)).text()).toContain('আনা আর. রহমান');
		expect(server.db.prepare('select id, completed_at from certificates where user_id = ?').get(id)).toEqual(
			certificate
		);
	});

	it('an unknown or malformed certificate id is 404', async () => {
		for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'nope', '../course']) {
			expect((await new Browser(server.origin).get(`/certificate/${encodeURIComponent(id)}`)).status).toBe(404);
		}
	});
});
