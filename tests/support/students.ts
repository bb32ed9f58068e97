import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCourse, type Lesson } from '../../src/lib/server/course';
import { FIXTURE_COURSE_DIR } from './fixture-course';
import { Browser } from './http';
import type { TestServer } from './server';

export const DAY = 24 * 60 * 60 * 1000;
export const TIMEZONE = 'Asia/Dhaka';

export function addUser(db: Database.Database, email: string, name: string | null = null): number {
	const row = db.prepare('insert into users (email, name) values (?, ?) returning id').get(email, name) as {
		id: number;
	};
	return row.id;
}

/**
 * A new buyer and their ৳1,500 Stripe order, written straight into the database as another connection would write
 * it (no enrolment, no mail); `key` names its checkout session and payment (cs_<key>, pi_<key>). Returns the order id.
 */
export function addStripeOrder(db: Database.Database, email: string, key: string, createdAt = Date.now()): number {
	const row = db
		.prepare(
			`insert into orders (method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, created_at)
			 values ('stripe', ?, ?, ?, 150000, 'BDT', ?, ?) returning id`
		)
		.get(`cs_${key}`, `pi_${key}`, addUser(db, email), email, createdAt) as { id: number };
	return row.id;
}

export interface EnrolmentSetup {
	/** Enrolled this many days ago (0 = just now). */
	daysAgo?: number;
	status?: 'active' | 'revoked';
	allLessonsOpen?: boolean;
}

/** An enrolment as the payments code would leave it, dated in the past to stand in for waiting. */
export function enrol(db: Database.Database, userId: number, setup: EnrolmentSetup = {}): void {
	const { daysAgo = 0, status = 'active', allLessonsOpen = false } = setup;
	db.prepare(
		'insert into enrolments (user_id, status, revoked_reason, all_lessons_open, enrolled_at) values (?, ?, ?, ?, ?)'
	).run(userId, status, status === 'revoked' ? 'refund' : null, allLessonsOpen ? 1 : 0, Date.now() - daysAgo * DAY);
}

/** A sign-in token stored the way the app stores them (SHA-256 hex of a random value); returns it in clear. */
export function mintToken(
	db: Database.Database,
	email: string,
	{ next = null, expiresAt = Date.now() + 15 * 60 * 1000 }: { next?: string | null; expiresAt?: number } = {}
): string {
	const token = randomBytes(32).toString('base64url');
	const hash = createHash('sha256').update(token).digest('hex');
	db.prepare('insert into login_tokens (token_hash, email, next, expires_at) values (?, ?, ?, ?)').run(
		hash,
		email,
		next,
		expiresAt
	);
	return token;
}

export function sha256(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

/** A form POST as a browser without JavaScript sends it (Accept: text/html, so SvelteKit answers with a page). */
export function submit(
	browser: Browser,
	path: string,
	fields: Record<string, string> = {},
	headers: Record<string, string> = {}
): Promise<Response> {
	return browser.post(path, fields, { accept: 'text/html', ...headers });
}

/** A browser signed in as email through the real verify form. */
export async function signIn(
	server: TestServer,
	email: string,
	browser = new Browser(server.origin)
): Promise<Browser> {
	const res = await submit(browser, '/login/verify', { token: mintToken(server.db, email) });
	if (res.status !== 303 || !browser.cookies.has('session'))
		throw new Error(`sign-in as ${email} failed: ${res.status}`);
	return browser;
}

/** What a page or its __data.json answered: redirects and errors inside __data.json count as their own status. */
export async function outcome(res: Response): Promise<{ status: number; location: string | null; body: string }> {
	const body = await res.text();
	if (!res.url.includes('__data.json') || res.status !== 200) {
		return { status: res.status, location: res.headers.get('location'), body };
	}
	const data = JSON.parse(body) as {
		type: string;
		location?: string;
		nodes?: ({ type: string; status?: number } | null)[];
	};
	if (data.type === 'redirect') return { status: 303, location: data.location ?? null, body };
	const failed = data.nodes?.find((node) => node?.type === 'error');
	return { status: failed?.status ?? 200, location: null, body };
}

export interface LessonFixture {
	lesson: Lesson;
	/** Sentences of the lesson's own text that appear nowhere else in the course (not in a title, summary or task). */
	sentences: string[];
}

/**
 * Every lesson of the course in dir (the tests' own by default) with a few of its distinctive sentences, to look
 * for in answers that must not carry them.
 */
export function lessonFixtures(dir = FIXTURE_COURSE_DIR): LessonFixture[] {
	const course = loadCourse(dir);
	const sources = course.lessons.map((l) => readFileSync(l.file, 'utf8'));
	const config = readFileSync(join(dir, 'course.yaml'), 'utf8');
	return course.lessons.map((lesson, i) => {
		const body = sources[i].replace(/^---[\s\S]*?\n---\n/, '');
		const elsewhere = [config, lesson.title, lesson.summary, lesson.task ?? '', ...sources.filter((_, j) => j !== i)];
		const perParagraph = body
			.split(/\n\s*\n/)
			.filter((paragraph) => !paragraph.trim().startsWith('#'))
			.map((paragraph) =>
				paragraph
					.split('।')
					.map((s) => s.trim())
					.filter((s) => s.length >= 30 && !/[&<>"'*_`[\]\n]/.test(s) && !elsewhere.some((text) => text.includes(s)))
					.sort((a, b) => b.length - a.length)
			);
		// One from each paragraph in turn, so that the beginning, middle and end of a lesson are all watched for.
		const sentences: string[] = [];
		for (let round = 0; sentences.length < 3 && perParagraph.some((c) => c.length > round); round++)
			for (const candidates of perParagraph)
				if (candidates[round] && sentences.length < 3) sentences.push(candidates[round]);
		return { lesson, sentences };
	});
}

/** "২৪ নভেম্বর" (with the year when it is not this year's): a lesson's opening date as pages show it. */
export function bengaliDay(ms: number): string {
	const year = (t: number): string => new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: TIMEZONE }).format(t);
	return new Intl.DateTimeFormat('bn-BD', {
		day: 'numeric',
		month: 'long',
		...(year(ms) !== year(Date.now()) ? { year: 'numeric' } : {}),
		timeZone: TIMEZONE
	}).format(ms);
}
