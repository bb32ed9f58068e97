/**
 * The course the tests run against: tests/fixtures/course, the tests' own, so that a seller's edit of course/ never
 * turns a test red. `launchApp`, `startServer` and `mailEnv` serve it unless COURSE_DIR says otherwise; a test
 * reads what it needs from `fixtureCourse()` rather than writing titles, slugs or counts down.
 */
import { resolve } from 'node:path';
import { loadCourse, type Course, type Lesson } from '../../src/lib/server/course';
import type { SequenceName, SequenceStep } from '../../src/lib/server/course/sequences';

const ROOT = resolve(import.meta.dirname, '../..');

/** The tests' own course. */
export const FIXTURE_COURSE_DIR = resolve(ROOT, 'tests/fixtures/course');
/** The seller's course, for the few tests about what ships (course:check, the webfont subset built from it). */
export const SHIPPED_COURSE_DIR = resolve(ROOT, 'course');

export interface FixtureCourse {
	dir: string;
	course: Course;
	/** The free previews, in course order. */
	free: Lesson[];
	/** The lessons only students read, in course order. */
	paid: Lesson[];
	/** The first paid lesson that opens on the day of purchase. */
	paidAtOnce: Lesson;
	/** The lesson that opens last after a purchase. */
	opensLast: Lesson;
	/** The steps of one email sequence, in order. */
	steps: (sequence: SequenceName) => SequenceStep[];
}

let loaded: FixtureCourse | undefined;

/** The fixture course, loaded as the server loads it (once per test file). */
export function fixtureCourse(): FixtureCourse {
	if (loaded) return loaded;
	const course = loadCourse(FIXTURE_COURSE_DIR);
	const paid = course.lessons.filter((l) => !l.free);
	loaded = {
		dir: FIXTURE_COURSE_DIR,
		course,
		free: course.lessons.filter((l) => l.free),
		paid,
		paidAtOnce: paid.find((l) => l.dripDay === 0)!,
		opensLast: course.lessons.reduce((a, b) => (b.dripDay > a.dripDay ? b : a)),
		steps: (sequence) => course.sequences.find((s) => s.name === sequence)?.steps ?? []
	};
	return loaded;
}
