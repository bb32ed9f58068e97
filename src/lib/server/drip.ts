import { formatDate } from '../format';
import { course, type Lesson } from './course';

/** What the drip rule needs of an enrolment. */
export interface DripEnrolment {
	enrolledAt: number;
	/** The seller opened every lesson for this student. */
	allLessonsOpen: boolean;
}

export type DripLesson = Pick<Lesson, 'dripDay' | 'free'>;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
	let format = wallClocks.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		wallClocks.set(timeZone, format);
	}
	return format;
}

/** How far timeZone's wall clock is ahead of UTC at instant, in ms (+6 h for Asia/Dhaka). */
function offsetAt(instant: number, timeZone: string): number {
	const parts: Record<string, number> = {};
	for (const part of wallClock(timeZone).formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant a calendar day starts in timeZone (days past the month's end roll over, as in Date.UTC). */
function startOfDay(year: number, month: number, day: number, timeZone: string): number {
	const midnightUtc = Date.UTC(year, month, day);
	const guess = midnightUtc - offsetAt(midnightUtc, timeZone);
	// A second pass settles days on which the offset changes (daylight saving).
	return midnightUtc - offsetAt(guess, timeZone);
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
	const local = new Date(enrolledAt + offsetAt(enrolledAt, timeZone));
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

/** An opening date as a reader sees it: "২৪ নভেম্বর", with the year when it is not this year's. */
export function formatOpensOn(opensAt: number, now = Date.now(), timeZone = course().timezone): string {
	const year = (ms: number): string =>
		new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(new Date(ms));
	return formatDate(opensAt, timeZone, year(opensAt) !== year(now));
}
