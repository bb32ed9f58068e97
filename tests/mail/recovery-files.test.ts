// course/emails/recovery/ (the reminders for unfinished purchases) is checked with the course, each problem at file:line.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCourse } from '../../src/lib/server/course';
import { courseCheck, expectProblemLines, problemLines, useCourseCopies, writeFiles } from '../support/course-copy';
import { fixtureCourse } from '../support/fixture-course';

const copyCourse = useCourseCopies('course-recovery');

/** A copy of the fixture course with these files in emails/recovery/ (undefined removes one). */
const courseWith = (files: Record<string, string | undefined>): string =>
	writeFiles(copyCourse(), 'emails/recovery', files);

test("the fixture's reminders load, with their delays and the placeholders filled at send time", () => {
	const { stripe, wallet } = fixtureCourse().course.recovery;
	expect(stripe?.delayMs).toBeGreaterThan(0);
	expect(wallet?.delayMs).toBeGreaterThan(0);
	expect(stripe?.subject).toContain('{{course_title}}');
	expect(wallet?.markdown).toContain('{{payment_details}}');
});

test('each mistake in a reminder file is reported at its file and line', () => {
	const problems = problemLines(
		courseWith({
			'stripe.md': '---\nsubject: "ঠিক আছে"\ndelay: 1h\n---\n\nএকটি লাইন\n\nএখানে {{payment_details}} আছে\n',
			'wallet.md': '---\nsubject: "{{method_name}}"\ndelay: tomorrow\nbuton: "চাপুন"\n---\nটেক্সট {{amount}}\n',
			'sms.md': '---\nsubject: "ঠিক আছে"\ndelay: 1h\n---\nটেক্সট\n'
		})
	);
	const expected = [
		'emails/recovery/stripe.md:8 unknown placeholder {{payment_details}} in the stripe reminder',
		'emails/recovery/wallet.md:3 delay must look like 1h, 1d or 30m',
		'emails/recovery/wallet.md:4 unknown key "buton"',
		'emails/recovery/sms.md:1 a reminder is stripe.md'
	];
	expectProblemLines(problems, expected);
});

test('a missing reminder file turns that reminder off, and is no problem', () => {
	const course = courseWith({ 'wallet.md': undefined });
	const { course: loaded, problems } = readCourse(course);
	expect(problems).toEqual([]);
	expect(loaded?.recovery.wallet).toBeUndefined();
	expect(loaded?.recovery.stripe).toBeDefined();
});

test('npm run course:check fails on a bad reminder with file:line', () => {
	const course = courseWith({ 'stripe.md': '---\nsubject: "ঠিক আছে"\ndelay: soon\n---\n{{recovery_link}}\n' });
	const { status, output } = courseCheck({ COURSE_DIR: course });
	expect(status, output).not.toBe(0);
	const file = join(course, 'emails', 'recovery', 'stripe.md');
	expect(output).toContain(`${file}:3 delay must look like 1h, 1d or 30m`);
	expect(output).toContain(`${file}:5 unknown placeholder {{recovery_link}}`);
});
