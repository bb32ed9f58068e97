import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CourseError, formatProblem, loadCourse, readCourse, type CourseProblem } from '../src/lib/server/course';

const ROOT = resolve(import.meta.dirname, '..');
const COURSE = join(ROOT, 'course');

/** The introduction, then the chapters as the guide's table of contents titles them. */
const TITLES = [
	'ভূমিকা',
	'Passive Income আসলে কী — বাস্তবতা বনাম মিথ',
	'কেন AI হলো ২০২৬-এর সবচেয়ে বড় Opportunity',
	'কোন ধরণের মানুষদের জন্য কোন AI ইনকাম মডেল কাজ করে',
	'সবচেয়ে লাভজনক ৭টি AI Passive Income মডেল',
	'Zero থেকে First Dollar — Step-by-Step Execution Plan',
	'কোন কোন AI টুল ব্যবহার করবেন (Free বনাম Paid)',
	'Automation & System Setup (যাতে কাজ কমে, আয় থাকে)',
	'Risk, Mistakes & Reality Check',
	'Case Study: একজন সাধারণ মানুষ কীভাবে AI দিয়ে ইনকাম করলো',
	'Long-Term Scaling Strategy — এটা কীভাবে Business এ পরিণত করবেন'
];

const copies: string[] = [];

/** A temporary copy of course/ to break. */
function copyCourse(): string {
	const dir = join(mkdtempSync(join(tmpdir(), 'course-test-')), 'course');
	cpSync(COURSE, dir, { recursive: true });
	copies.push(dir);
	return dir;
}

afterEach(() => {
	for (const dir of copies.splice(0)) rmSync(resolve(dir, '..'), { recursive: true, force: true });
});

function edit(file: string, change: (source: string) => string): void {
	const before = readFileSync(file, 'utf8');
	const after = change(before);
	expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
	writeFileSync(file, after);
}

/** The 1-based line of the first line in file that contains text. */
function lineOf(file: string, text: string): number {
	const index = readFileSync(file, 'utf8')
		.split('\n')
		.findIndex((line) => line.includes(text));
	expect(index, `"${text}" is not in ${file}`).toBeGreaterThanOrEqual(0);
	return index + 1;
}

function problemsOf(dir: string): CourseProblem[] {
	const { course, problems } = readCourse(dir);
	expect(course).toBeUndefined();
	expect(problems.length).toBeGreaterThan(0);
	return problems;
}

/** Asserts that the problems include one at file:line whose message contains text. */
function expectProblem(problems: CourseProblem[], file: string, line: number, text: string): void {
	const found = problems.find((p) => p.file === file && p.line === line && p.message.includes(text));
	expect(found, `expected ${file}:${line} ${text}, got:\n${problems.map(formatProblem).join('\n')}`).toBeDefined();
}

describe('the real course', () => {
	const course = loadCourse(COURSE);

	it('has the introduction and ten chapters, titled as the table of contents titles them', () => {
		expect(course.lessons).toHaveLength(11);
		expect(course.lessons.map((l) => l.title)).toEqual(TITLES);
		expect(course.lessons.map((l) => l.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('has ASCII slugs, a summary and a task for every lesson, and no stray "click here" lines', () => {
		for (const lesson of course.lessons) {
			expect(lesson.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
			expect(course.bySlug.get(lesson.slug)).toBe(lesson);
			expect(lesson.summary.length).toBeGreaterThan(20);
			expect(lesson.task?.length).toBeGreaterThan(20);
			expect(lesson.html).not.toMatch(/ক্লিক করুন/);
		}
	});

	it('opens the introduction and the first three chapters at once, then one chapter every two days', () => {
		expect(course.lessons.map((l) => l.dripDay)).toEqual([0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14]);
	});

	it('offers the introduction and chapter 1 as free previews, for ৳১,৫০০', () => {
		expect(course.lessons.filter((l) => l.free).map((l) => l.number)).toEqual([0, 1]);
		expect(course.price).toBe(150000);
		expect(course.currency).toBe('BDT');
		expect(course.timezone).toBe('Asia/Dhaka');
		expect(course.title).toBeTruthy();
		expect(course.promise).toBeTruthy();
		expect(course.audience.length).toBeGreaterThan(0);
	});

	it('renders each chapter as its three parts, with Bengali heading ids', () => {
		for (const lesson of course.lessons.slice(1)) {
			expect(lesson.html).toContain('<h2 id="মূলনীতি">মূলনীতি</h2>');
			expect(lesson.html.match(/<p>/g)?.length).toBe(3);
		}
	});
});

describe('a broken course names the file, the line and the problem', () => {
	it('a lesson without a title', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '03-which-model-for-whom.md');
		edit(file, (s) => s.replace(/^title:.*\n/m, ''));
		expectProblem(problemsOf(dir), file, 2, 'missing title');
	});

	it('a lesson with an empty title', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '03-which-model-for-whom.md');
		edit(file, (s) => s.replace(/^title:.*$/m, 'title: ""'));
		expectProblem(problemsOf(dir), file, 2, 'missing title');
	});

	it('two lessons with the same slug', () => {
		const dir = copyCourse();
		const copy = join(dir, 'lessons', '11-why-ai-now.md');
		cpSync(join(dir, 'lessons', '02-why-ai-now.md'), copy);
		expectProblem(problemsOf(dir), copy, 1, 'duplicate slug "why-ai-now"');
	});

	it('a slug that is not ASCII', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '10-স্কেলিং.md');
		renameSync(join(dir, 'lessons', '10-long-term-scaling.md'), file);
		expectProblem(problemsOf(dir), file, 1, 'slug "স্কেলিং" must be ASCII');
	});

	it('a slug with capitals or spaces', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '10-Long Term.md');
		renameSync(join(dir, 'lessons', '10-long-term-scaling.md'), file);
		expectProblem(problemsOf(dir), file, 1, 'must be ASCII');
	});

	it('a free preview that names no lesson', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  - passive-income-reality\n', '  - passive-income\n'));
		expectProblem(problemsOf(dir), file, lineOf(file, '  - passive-income'), 'free_previews names "passive-income"');
	});

	it('a drip entry that names no lesson', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  case-study: 12\n', '  case-study: 12\n  bonus-lesson: 16\n'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'bonus-lesson'), 'drip names "bonus-lesson"');
	});

	it('a lesson the drip schedule forgets', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  case-study: 12\n', ''));
		expectProblem(problemsOf(dir), file, 1, 'drip has no day for lesson "case-study"');
	});

	it.each([
		['0', 'got 0'],
		['-150000', 'got -150000'],
		['1500.50', 'got 1500.5'],
		['"150000"', 'got 150000'],
		['দেড় হাজার', 'got দেড় হাজার']
	])('a price of %s', (price, got) => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace(/^price: .*$/m, `price: ${price}`));
		const problems = problemsOf(dir);
		expectProblem(problems, file, lineOf(file, 'price: '), 'price must be a positive whole number');
		expectProblem(problems, file, lineOf(file, 'price: '), got);
	});

	it('a missing price', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace(/^price: .*\n/m, ''));
		expectProblem(problemsOf(dir), file, 1, 'missing price');
	});

	it('an unknown currency', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace(/^currency: .*$/m, 'currency: EUR'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'currency: EUR'), 'unknown currency "EUR"');
	});

	it('accepts USD as the currency', () => {
		const dir = copyCourse();
		edit(join(dir, 'course.yaml'), (s) =>
			s.replace(/^currency: .*$/m, 'currency: USD').replace(/^price: .*$/m, 'price: 1900')
		);
		const course = loadCourse(dir);
		expect([course.price, course.currency]).toEqual([1900, 'USD']);
	});

	it('an unknown timezone', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace(/^timezone: .*$/m, 'timezone: Dhaka'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'timezone: Dhaka'), 'unknown timezone "Dhaka"');
	});

	it('a lesson without front matter', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '05-zero-to-first-dollar.md');
		edit(file, (s) => s.replace(/^---\n[\s\S]*?\n---\n/, ''));
		expectProblem(problemsOf(dir), file, 1, 'missing front matter');
	});

	it('front matter that is not valid YAML', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '05-zero-to-first-dollar.md');
		edit(file, (s) => s.replace(/^summary: "/m, 'summary: "unclosed\nsummary2: "'));
		const problems = problemsOf(dir);
		expect(problems.some((p) => p.file === file && p.message.startsWith('YAML:'))).toBe(true);
	});

	it('reports every problem at once, and loadCourse throws them as file:line lines', () => {
		const dir = copyCourse();
		const lesson = join(dir, 'lessons', '03-which-model-for-whom.md');
		const config = join(dir, 'course.yaml');
		edit(lesson, (s) => s.replace(/^title:.*\n/m, ''));
		edit(config, (s) => s.replace(/^currency: .*$/m, 'currency: taka'));
		expect(() => loadCourse(dir)).toThrow(CourseError);
		try {
			loadCourse(dir);
		} catch (e) {
			const message = (e as Error).message;
			expect(message).toContain(`${lesson}:2 missing title`);
			expect(message).toContain(`${config}:${lineOf(config, 'currency: taka')} unknown currency "taka"`);
		}
	});
});

describe('npm run course:check', () => {
	function courseCheck(courseDir?: string): { status: number | null; output: string } {
		const env: NodeJS.ProcessEnv = { ...process.env };
		if (courseDir) env.COURSE_DIR = courseDir;
		else delete env.COURSE_DIR;
		const result = spawnSync('npm', ['run', '--silent', 'course:check'], { cwd: ROOT, env, encoding: 'utf8' });
		return { status: result.status, output: result.stdout + result.stderr };
	}

	it('passes on the real course', () => {
		const { status, output } = courseCheck();
		expect(output).toMatch(/^OK/m);
		expect(output).toContain('11 lessons');
		expect(status).toBe(0);
	});

	it('fails on a broken copy and prints file:line problem', () => {
		const dir = copyCourse();
		const config = join(dir, 'course.yaml');
		edit(config, (s) => s.replace(/^price: .*$/m, 'price: 0'));
		edit(join(dir, 'lessons', '07-automation-system-setup.md'), (s) => s.replace(/^title:.*\n/m, ''));
		const { status, output } = courseCheck(dir);
		expect(status).not.toBe(0);
		expect(output).toContain(`${config}:${lineOf(config, 'price: 0')} price must be a positive whole number`);
		expect(output).toContain(`${join(dir, 'lessons', '07-automation-system-setup.md')}:2 missing title`);
	});
});
