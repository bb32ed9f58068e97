// course/emails is checked with the course: every problem names the file and the line.
import { expect, test } from 'vitest';
import { readCourse } from '../../src/lib/server/course';
import { expectProblemLines, problemLines, useCourseCopies, writeFiles } from '../support/course-copy';
import { FIXTURE_COURSE_DIR } from '../support/fixture-course';

const copyCourse = useCourseCopies('course-emails');

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

// The shipped sequences are checked by `npm run course:check` (tests/course.test.ts runs it on course/).
test("the fixture's sequences load without problems, with every kind of timing and condition read", () => {
	const { course, problems } = readCourse(FIXTURE_COURSE_DIR);
	expect(problems).toEqual([]);
	const lead = course?.sequences.find((s) => s.name === 'lead');
	const student = course?.sequences.find((s) => s.name === 'student');
	// A welcome at once, then three mails over five days.
	expect(lead?.steps.map((s) => [s.delayMs, s.after])).toEqual([
		[0, 'previous'],
		[DAY, 'previous'],
		[3 * DAY, 'start'],
		[2 * DAY, 'previous']
	]);
	expect(lead?.steps.map((s) => s.skipIf)).toEqual([[], [], [{ kind: 'purchased' }], [{ kind: 'purchased' }]]);
	expect(lead?.steps.map((s) => s.button?.link)).toEqual(['first_lesson', undefined, undefined, 'course']);
	// Lesson mails name their lesson by number or by slug; the rest wait for quiet or for the end of the course.
	expect(student?.steps.map((s) => [s.lessonOpens, s.delayMs])).toEqual([
		['rice', DAY],
		['lentils', 8 * HOUR],
		['fish-curry', 8 * HOUR],
		['guests', 8 * HOUR],
		[undefined, 7 * DAY],
		[undefined, 0]
	]);
	expect(student?.steps.map((s) => [...s.skipIf, ...s.waitFor])).toEqual([
		[{ kind: 'lesson_done', lesson: 'rice' }],
		[{ kind: 'lesson_done', lesson: 'lentils' }],
		[{ kind: 'lesson_viewed', lesson: 'fish-curry' }],
		[{ kind: 'lesson_done', lesson: 'guests' }],
		[{ kind: 'course_done' }, { kind: 'not_viewed_for_days', days: 7 }],
		[{ kind: 'course_done' }]
	]);
	expect(student?.steps.map((s) => s.button?.link)).toEqual([
		'lesson',
		undefined,
		'lesson',
		'lesson',
		'my_course',
		'certificate'
	]);
});

test('each mistake is reported at its file and line', () => {
	const problems = problemLines(
		writeFiles(copyCourse(), 'emails', {
			'lead/09-no-subject.md': '---\ndelay: 1d\n---\nটেক্সট\n',
			'lead/10-bad-delay.md': '---\nsubject: "ঠিক আছে"\ndelay: 2 weeks\n---\nটেক্সট\n',
			'lead/11-bad-placeholder.md': '---\nsubject: "ঠিক আছে"\ndelay: 1d\n---\n\nপ্রথম লাইন\n\nএখানে {{nmae}} আছে\n',
			'lead/12-student-condition.md': '---\nsubject: "ঠিক আছে"\ndelay: 1d\nskip_if: [lesson_done: 03]\n---\nটেক্সট\n',
			'student/11-no-lesson.md': '---\nsubject: "ঠিক আছে"\nlesson_opens: 42\n---\nটেক্সট\n',
			'student/12-unknown-condition.md':
				'---\nsubject: "ঠিক আছে"\ndelay: 1d\nskip_if:\n  - lesson_done: 03\n  - bought_twice\n---\nটেক্সট\n',
			'student/13-typo.md': '---\nsubject: "ঠিক আছে"\ndelay: 1d\nskipif: [course_done]\n---\nটেক্সট\n',
			'student/14-bad-button.md':
				'---\nsubject: "ঠিক আছে"\ndelay: 1d\nbutton:\n  label: "চাপুন"\n  link: somewhere\n---\nটেক্সট\n',
			'student/15-empty.md': '---\nsubject: "ঠিক আছে"\ndelay: 1d\n---\n\n',
			'student/01-duplicate.md': '---\nsubject: "ঠিক আছে"\ndelay: 1d\n---\nটেক্সট\n',
			'student/welcome.md': '---\nsubject: "ঠিক আছে"\n---\nটেক্সট\n',
			'newsletter/01-hello.md': '---\nsubject: "ঠিক আছে"\ndelay: 0\n---\nটেক্সট\n'
		})
	);
	const expected = [
		'emails/lead/09-no-subject.md:2 missing subject',
		'emails/lead/10-bad-delay.md:3 delay must look like 2d, 12h, 30m or 0',
		'emails/lead/11-bad-placeholder.md:8 unknown placeholder {{nmae}}',
		'emails/lead/12-student-condition.md:4 lesson_done reads a student',
		'emails/student/11-no-lesson.md:3 lesson_opens names lesson "42", which is no lesson',
		'emails/student/12-unknown-condition.md:6 unknown condition "bought_twice"',
		'emails/student/13-typo.md:4 unknown key "skipif"',
		'emails/student/14-bad-button.md:4 button needs a label and a link',
		'emails/student/15-empty.md:5 the mail has no text after its front matter',
		'emails/student/01-lesson-02-task.md:1 duplicate step number 01',
		'emails/student/welcome.md:1 email files are named NN-slug.md',
		'emails/newsletter:1 nothing starts a sequence called "newsletter"'
	];
	expectProblemLines(problems, expected);
});
