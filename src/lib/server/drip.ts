import type { Lesson } from './course';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The offset of timeZone from UTC at the given instant, in ms (Asia/Dhaka: +6 h). */
function zoneOffset(at: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(new Date(at));
	const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(at / 1000) * 1000;
}

/** Midnight at the start of the day `at` falls on, in timeZone. */
export function startOfDay(at: number, timeZone: string): number {
	const offset = zoneOffset(at, timeZone);
	const local = at + offset;
	const midnightLocal = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
	return midnightLocal - zoneOffset(midnightLocal - offset, timeZone);
}

/**
 * When a lesson opens for a student: the start of the enrolment's day in the course's timezone, plus the
 * lesson's drip day. The lesson page and the "a new lesson is open" mail both read this one schedule.
 */
export function lessonOpensAt(enrolledAt: number, lesson: Pick<Lesson, 'dripDay'>, timeZone: string): number {
	if (lesson.dripDay === 0) return enrolledAt;
	const day = startOfDay(enrolledAt, timeZone);
	return startOfDay(day + lesson.dripDay * DAY_MS + DAY_MS / 2, timeZone);
}
