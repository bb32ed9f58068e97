import { cpSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CourseError, loadCourse } from '../src/lib/server/course';
import { courseCheck, edit, expectProblem, lineOf, problemsOf, useCourseCopies } from './support/course-copy';
import { FIXTURE_COURSE_DIR, SHIPPED_COURSE_DIR } from './support/fixture-course';

/** The fixture's introduction, then its chapters, as their files title them. */
const TITLES = [
	'স্বাগতম: রান্নাঘরে প্রথম দিন',
	'ছুরি ধরার সঠিক নিয়ম',
	'ঝরঝরে ভাত রান্নার সহজ পদ্ধতি',
	'ডাল: প্রতিদিনের পুষ্টি',
	'মাছের পাতলা ঝোল',
	'অতিথি আপ্যায়নের পরিকল্পনা'
];

const copyCourse = useCourseCopies('course-test');

describe('the fixture course', () => {
	const course = loadCourse(FIXTURE_COURSE_DIR);

	it('has an introduction and five chapters, titled as their files title them', () => {
		expect(course.lessons).toHaveLength(6);
		expect(course.lessons.map((l) => l.title)).toEqual(TITLES);
		expect(course.lessons.map((l) => l.number)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('has ASCII slugs, a summary for every lesson, a task for all but the last, and no stray "click here" lines', () => {
		for (const lesson of course.lessons) {
			expect(lesson.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
			expect(course.bySlug.get(lesson.slug)).toBe(lesson);
			expect(lesson.summary.length).toBeGreaterThan(20);
			expect(lesson.html).not.toMatch(/ক্লিক করুন/);
		}
		// The task is optional: the last lesson has none, so that pages are tested without one too.
		const tasks = course.lessons.map((l) => l.task);
		expect(tasks.at(-1)).toBeUndefined();
		for (const task of tasks.slice(0, -1)) expect(task?.length).toBeGreaterThan(20);
	});

	it('opens three lessons at once, then one on day 2, day 5 and day 10', () => {
		expect(course.lessons.map((l) => l.dripDay)).toEqual([0, 0, 0, 2, 5, 10]);
	});

	it('offers the introduction and chapter 1 as free previews, for ৳৯৯৯, with every setting of course.yaml read', () => {
		expect(course.lessons.filter((l) => l.free).map((l) => l.number)).toEqual([0, 1]);
		expect(course.price).toBe(99900);
		expect(course.currency).toBe('BDT');
		expect(course.timezone).toBe('Asia/Dhaka');
		expect(course.id).toBe('home-cooking');
		expect(course.title).toBe('ঘরের রান্না হাতে-কলমে');
		expect(course.subtitle).toBe('ছয়টি ছোট পাঠে রোজকার রান্নার ভিত');
		expect(course.author).toBe('পরীক্ষার লেখক');
		// Folded from three lines of course.yaml into one.
		expect(course.promise).toBe(
			'ভাত, ডাল আর মাছের ঝোল দিয়ে শুরু করে অতিথি আপ্যায়ন পর্যন্ত, প্রতিটি ধাপ নিজের রান্নাঘরে করে দেখার মতো করে সাজানো।'
		);
		expect(course.audience).toEqual([
			'যারা প্রথমবার নিজের রান্না নিজে করতে চান',
			'যারা রোজকার রান্না আরও কম সময়ে সারতে চান'
		]);
	});

	it('renders each chapter as its three parts, with Bengali heading ids', () => {
		for (const lesson of course.lessons.slice(1)) {
			expect(lesson.html).toContain('<h2 id="মূলনীতি">মূলনীতি</h2>');
			expect(lesson.html.match(/<p>/g)?.length).toBe(3);
		}
	});

	it('has a lead and a student sequence', () => {
		const steps = (name: string) => course.sequences.find((s) => s.name === name)?.steps.map((s) => s.id);
		expect(steps('lead')).toEqual(['01-welcome', '02-measure-water', '03-taste-as-you-go', '04-invitation']);
		expect(steps('student')).toEqual([
			'01-lesson-02-task',
			'02-lesson-03-opens',
			'03-lesson-04-opens',
			'04-lesson-05-opens',
			'05-come-back',
			'06-congratulations'
		]);
	});
});

describe('a broken course names the file, the line and the problem', () => {
	it('a lesson without a title', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '03-lentils.md');
		edit(file, (s) => s.replace(/^title:.*\n/m, ''));
		expectProblem(problemsOf(dir), file, 2, 'missing title');
	});

	it('a lesson with an empty title', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '03-lentils.md');
		edit(file, (s) => s.replace(/^title:.*$/m, 'title: ""'));
		expectProblem(problemsOf(dir), file, 2, 'missing title');
	});

	it('two lessons with the same slug', () => {
		const dir = copyCourse();
		const copy = join(dir, 'lessons', '06-rice.md');
		cpSync(join(dir, 'lessons', '02-rice.md'), copy);
		expectProblem(problemsOf(dir), copy, 1, 'duplicate slug "rice"');
	});

	it('a slug that is not ASCII', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '05-অতিথি.md');
		renameSync(join(dir, 'lessons', '05-guests.md'), file);
		expectProblem(problemsOf(dir), file, 1, 'slug "অতিথি" must be ASCII');
	});

	it('a slug with capitals or spaces', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '05-Dinner Guests.md');
		renameSync(join(dir, 'lessons', '05-guests.md'), file);
		expectProblem(problemsOf(dir), file, 1, 'must be ASCII');
	});

	it('a free preview that names no lesson', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  - knife-skills\n', '  - knives\n'));
		expectProblem(problemsOf(dir), file, lineOf(file, '  - knives'), 'free_previews names "knives"');
	});

	it('a drip entry that names no lesson', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  fish-curry: 5\n', '  fish-curry: 5\n  bonus-lesson: 16\n'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'bonus-lesson'), 'drip names "bonus-lesson"');
	});

	it('a lesson the drip schedule forgets', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace('  fish-curry: 5\n', ''));
		expectProblem(problemsOf(dir), file, 1, 'drip has no day for lesson "fish-curry"');
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
			s.replace(/^currency: .*$/m, 'currency: USD').replace(/^price: .*$/m, 'price: 1900\nbdt_price: 99900')
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

	it('a misspelt key in a lesson, which would otherwise drop the task in silence', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '02-rice.md');
		edit(file, (s) => s.replace(/^task:/m, 'taks:'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'taks:'), 'unknown key "taks": use title, summary, task');
	});

	it('a misspelt key in course.yaml, which would otherwise drop every free preview in silence', () => {
		const dir = copyCourse();
		const file = join(dir, 'course.yaml');
		edit(file, (s) => s.replace(/^free_previews:/m, 'free_preview:'));
		expectProblem(problemsOf(dir), file, lineOf(file, 'free_preview:'), 'unknown key "free_preview"');
	});

	it('a lesson without front matter', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '04-fish-curry.md');
		edit(file, (s) => s.replace(/^---\n[\s\S]*?\n---\n/, ''));
		expectProblem(problemsOf(dir), file, 1, 'missing front matter');
	});

	it('front matter that is not valid YAML', () => {
		const dir = copyCourse();
		const file = join(dir, 'lessons', '04-fish-curry.md');
		edit(file, (s) => s.replace(/^summary: "/m, 'summary: "unclosed\nsummary2: "'));
		const problems = problemsOf(dir);
		expect(problems.some((p) => p.file === file && p.message.startsWith('YAML:'))).toBe(true);
	});

	it('reports every problem at once, and loadCourse throws them as file:line lines', () => {
		const dir = copyCourse();
		const lesson = join(dir, 'lessons', '03-lentils.md');
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
	// The one test about the seller's course/: whatever they write, it must pass the checks the store starts with.
	it('passes on the shipped course', () => {
		const { status, output } = courseCheck({ COURSE_DIR: undefined });
		expect(output).toMatch(/^OK: course /m);
		expect(output).toContain(`${loadCourse(SHIPPED_COURSE_DIR).lessons.length} lessons`);
		expect(status, output).toBe(0);
	});

	it('passes on the fixture course, counting its lessons', () => {
		const { status, output } = courseCheck({ COURSE_DIR: FIXTURE_COURSE_DIR });
		expect(output).toMatch(/^OK/m);
		expect(output).toContain('6 lessons');
		expect(output).toContain('price ৳৯৯৯');
		expect(status, output).toBe(0);
	});

	it('fails on a broken copy and prints file:line problem', () => {
		const dir = copyCourse();
		const config = join(dir, 'course.yaml');
		edit(config, (s) => s.replace(/^price: .*$/m, 'price: 0'));
		edit(join(dir, 'lessons', '02-rice.md'), (s) => s.replace(/^title:.*\n/m, ''));
		const { status, output } = courseCheck({ COURSE_DIR: dir });
		expect(status).not.toBe(0);
		expect(output).toContain(`${config}:${lineOf(config, 'price: 0')} price must be a positive whole number`);
		expect(output).toContain(`${join(dir, 'lessons', '02-rice.md')}:2 missing title`);
	});
});
