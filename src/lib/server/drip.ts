import { formatDate } from '../format';
import { course, type Lesson } from './course';
import { zoneOffset } from './time-zone';

/** What the drip rule needs of an enrolment. */
export interface DripEnrolment {
	enrolledAt: number;
	/** The seller opened every lesson for this student. */
	allLessonsOpen: boolean;
}

export type DripLesson = Pick<Lesson, 'dripDay' | 'free'>;

// One formatter per zone: each new Intl.DateTimeFormat holds ICU memory outside V8's heap, which a formatter
// per request turned into hundreds of megabytes of RSS under load.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) in timeZone. */
export function localDay(timeZone: string, at: number): string {
	let format = dayFormats.get(timeZone);
	if (!format)
		dayFormats.set(
			timeZone,
			(format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }))
		);
	return format.format(at);
}

/** The instant a calendar day starts in timeZone (days past the month's end roll over, as in Date.UTC). */
function startOfDay(year: number, month: number, day: number, timeZone: string): number {
	const midnightUtc = Date.UTC(year, month, day);
	const guess = midnightUtc - zoneOffset(timeZone, midnightUtc);
	// A second pass settles days on which the offset changes (daylight saving).
	return midnightUtc - zoneOffset(timeZone, guess);
}

/**
 * When a lesson opens for a student enrolled at enrolledAt: the start of the enrolment's calendar day in the
 * course's timezone, plus the lesson's drip day. Pages and drip mails both use this, so they never disagree.
 */
export function lessonOpensAt(
	enrolledAt: number,
	lesson: Pick<Lesson, 'dripDay'>,
	timeZone = course().timezone
): number {
	const local = new Date(enrolledAt + zoneOffset(timeZone, enrolledAt));
	return startOfDay(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + lesson.dripDay, timeZone);
}

/** Whether a student with this enrolment may read the lesson now: free previews, the seller's override, or the drip date. */
export function isLessonOpen(
	enrolment: DripEnrolment,
	lesson: DripLesson,
	now = Date.now(),
	timeZone = course().timezone
): boolean {
	return lesson.free || enrolment.allLessonsOpen || now >= lessonOpensAt(enrolment.enrolledAt, lesson, timeZone);
}

/** The calendar year of an instant in timeZone, from the same cached wall clock the drip rule uses. */
function yearIn(instant: number, timeZone: string): number {
	return new Date(instant + zoneOffset(timeZone, instant)).getUTCFullYear();
}

// Opening dates are day starts, a few per enrolment day: each text is kept, as /course shows up to one per lesson.
const OPENS_ON_LIMIT = 5_000;
const opensOnTexts = new Map<string, string>();

/**
 * An opening date as a reader sees it: "২৪ নভেম্বর", with the year when it is not this year's.
 * Runs for every locked lesson on every page view, so it constructs no Intl formatter of its own (a new
 * Intl.DateTimeFormat per call cost ~1 ms and left ICU memory behind that V8's GC does not see) and formats a
 * date once.
 */
export function formatOpensOn(opensAt: number, now = Date.now(), timeZone = course().timezone): string {
	const withYear = yearIn(opensAt, timeZone) !== yearIn(now, timeZone);
	const key = `${timeZone} ${opensAt} ${withYear}`;
	let text = opensOnTexts.get(key);
	if (text === undefined) {
		if (opensOnTexts.size >= OPENS_ON_LIMIT) opensOnTexts.clear();
		opensOnTexts.set(key, (text = formatDate(opensAt, timeZone, withYear)));
	}
	return text;
}
