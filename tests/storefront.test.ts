import { FIXTURE_COURSE_DIR } from './support/fixture-course';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bnDigits } from '../src/lib/format';
import { loadCourse } from '../src/lib/server/course';
import { edit, expectProblem, linesOf, problemsOf, useCourseCopies } from './support/course-copy';
import { startServer, type TestServer } from './support/server';
import { addUser, enrol } from './support/students';

const ROOT = resolve(import.meta.dirname, '..');
const COURSE = FIXTURE_COURSE_DIR;
const copyCourse = useCourseCopies('storefront-test');

describe('the shipped course', () => {
	const course = loadCourse(COURSE);

	it('has the four legal pages, each with a title, and FAQ answers with nothing left to fill by hand', () => {
		expect(course.pages.map((p) => p.slug).sort()).toEqual(['contact', 'privacy', 'refund', 'terms']);
		for (const page of course.pages) expect(page.title.length, page.file).toBeGreaterThan(0);
		expect(course.storefront.faq.length).toBeGreaterThan(0);
	});

	it('names the real processors in the privacy policy', () => {
		const privacy = course.pages.find((p) => p.slug === 'privacy')!.markdown;
		for (const processor of ['Stripe', 'Resend', 'বিকাশ', 'নগদ']) expect(privacy, processor).toContain(processor);
	});
});

describe('course:check on the legal pages and the storefront settings', () => {
	it('reports a page without a title at its front matter', () => {
		const dir = copyCourse();
		const file = join(dir, 'pages', 'terms.md');
		edit(file, (s) => s.replace(/^title:.*\n/m, ''));
		expectProblem(problemsOf(dir), file, 2, 'missing title');
	});

	it('reports an unknown placeholder at the line it is on', () => {
		const dir = copyCourse();
		const file = join(dir, 'pages', 'contact.md');
		edit(file, (s) => s.replace('{{contact_email}}', '{{seller_phone}}'));
		const [line] = linesOf(file, '{{seller_phone}}');
		expectProblem(problemsOf(dir), file, line, 'unknown placeholder {{seller_phone}}');
	});

	it('reports {{refund_days}} wherever it is used once refund_days is gone from course.yaml', () => {
		const dir = copyCourse();
		const config = join(dir, 'course.yaml');
		const refund = join(dir, 'pages', 'refund.md');
		edit(config, (s) => s.replace(/^refund_days:.*\n/m, ''));
		const problems = problemsOf(dir);
		for (const line of linesOf(refund, '{{refund_days}}')) expectProblem(problems, refund, line, 'needs refund_days');
		for (const line of linesOf(config, '{{refund_days}}').filter((l) => !readLine(config, l).trim().startsWith('#')))
			expectProblem(problems, config, line, 'needs refund_days');
	});

	it('reports an unknown placeholder in an FAQ answer at its line in course.yaml', () => {
		const dir = copyCourse();
		const config = join(dir, 'course.yaml');
		edit(config, (s) => s.replace('কেনার {{days_to_all_lessons}}', 'কেনার {{days_left}}'));
		const [line] = linesOf(config, '{{days_left}}');
		expectProblem(problemsOf(dir), config, line, 'unknown placeholder {{days_left}}');
	});

	it('reports a missing page, a stray page, and malformed settings', () => {
		const dir = copyCourse();
		const config = join(dir, 'course.yaml');
		unlinkSync(join(dir, 'pages', 'privacy.md'));
		writeFileSync(join(dir, 'pages', 'shipping.md'), '---\ntitle: "x"\n---\n\ntext\n');
		edit(config, (s) =>
			s
				.replace(/^refund_days:.*$/m, 'refund_days: seven')
				.replace(/^show_student_count:.*$/m, 'show_student_count: yes please')
				.replace(/answer: >-\n(\s+হ্যাঁ। পাঠগুলো)/, 'note: >-\n$1')
		);
		const problems = problemsOf(dir);
		expectProblem(problems, join(dir, 'pages', 'privacy.md'), 1, 'missing');
		expectProblem(problems, join(dir, 'pages', 'shipping.md'), 1, 'unknown page');
		expectProblem(problems, config, linesOf(config, 'refund_days: seven')[0], 'refund_days must be a whole number');
		expectProblem(problems, config, linesOf(config, 'show_student_count: yes')[0], 'must be true or false');
		expectProblem(
			problems,
			config,
			linesOf(config, 'question: "ফোনে পড়া যাবে?"')[0],
			'needs a question: and an answer:'
		);
	});

	it('npm run course:check prints the problem as file:line', () => {
		const dir = copyCourse();
		const file = join(dir, 'pages', 'privacy.md');
		edit(file, (s) => s.replace('{{seller}}', '{{owner}}'));
		const result = spawnSync('npm', ['run', '--silent', 'course:check'], {
			cwd: ROOT,
			env: { ...process.env, COURSE_DIR: dir },
			encoding: 'utf8'
		});
		expect(result.status).not.toBe(0);
		expect(result.stdout + result.stderr).toContain(
			`${file}:${linesOf(file, '{{owner}}')[0]} unknown placeholder {{owner}}`
		);
	});
});

function readLine(file: string, line: number): string {
	return readFileSync(file, 'utf8').split('\n')[line - 1];
}

describe('a seller who shows the student count and names their own contact details', () => {
	let server: TestServer;
	let dir: string;
	const EMAIL = 'help@shop.example';
	const ADDRESS = 'বাড়ি ১২, রোড ৩, ধানমন্ডি, ঢাকা ১২০৫';

	beforeAll(async () => {
		dir = join(mkdtempSync(join(tmpdir(), 'storefront-server-')), 'course');
		cpSync(COURSE, dir, { recursive: true });
		edit(join(dir, 'course.yaml'), (s) =>
			s
				.replace(/^show_student_count:.*$/m, 'show_student_count: true')
				.replace(/^student_count_threshold:.*$/m, 'student_count_threshold: 2')
				.replace(/^# contact_email:.*$/m, `contact_email: "${EMAIL}"`)
				.replace(/^# seller:.*$/m, 'seller: "নমুনা প্রকাশনী"')
		);
		server = await startServer({ COURSE_DIR: dir, MAIL_POSTAL_ADDRESS: ADDRESS });
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(resolve(dir, '..'), { recursive: true, force: true });
	});

	/** The sales page as rendered now: a cookie keeps it out of the renderings shared between visitors. */
	async function salesPage(): Promise<string> {
		return (await fetch(server.origin, { headers: { cookie: 'seen=1' } })).text();
	}

	it('shows the real count of active students only once it reaches the threshold', async () => {
		const shown = (n: number) => `${bnDigits(n)} জন শিক্ষার্থী`;
		enrol(server.db, addUser(server.db, 'one@example.com'));
		enrol(server.db, addUser(server.db, 'gone@example.com'), { status: 'revoked' });
		expect(await salesPage()).not.toContain('জন শিক্ষার্থী');
		enrol(server.db, addUser(server.db, 'two@example.com'));
		expect(await salesPage()).toContain(shown(2));
	});

	it('puts course.yaml’s contact address and seller and MAIL_POSTAL_ADDRESS on the contact page', async () => {
		const html = await (await fetch(`${server.origin}/contact`)).text();
		expect(html).toContain(EMAIL);
		expect(html).toContain('নমুনা প্রকাশনী');
		expect(html).toContain(ADDRESS);
		expect(html).not.toContain('course@localhost');
	});
});
