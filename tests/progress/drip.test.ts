import { describe, expect, it } from 'vitest';
import { formatOpensOn, isLessonOpen, lessonOpensAt } from '../../src/lib/server/drip';

const DHAKA = 'Asia/Dhaka';
const iso = (ms: number) => new Date(ms).toISOString();

describe('lessonOpensAt', () => {
	it("opens at the start of the enrolment's day in the course's timezone, plus the drip day", () => {
		// 02:30 on 21 November in Dhaka (UTC+6) is still 20 November in UTC.
		const enrolledAt = Date.UTC(2025, 10, 20, 20, 30);
		expect(iso(lessonOpensAt(enrolledAt, { dripDay: 0 }, DHAKA))).toBe('2025-11-20T18:00:00.000Z');
		expect(iso(lessonOpensAt(enrolledAt, { dripDay: 2 }, DHAKA))).toBe('2025-11-22T18:00:00.000Z');
	});

	it('counts days across month and year ends', () => {
		expect(iso(lessonOpensAt(Date.UTC(2025, 11, 31, 12), { dripDay: 14 }, DHAKA))).toBe('2026-01-13T18:00:00.000Z');
		expect(iso(lessonOpensAt(Date.UTC(2024, 1, 27, 12), { dripDay: 2 }, DHAKA))).toBe('2024-02-28T18:00:00.000Z');
	});

	it('keeps local midnight across a daylight-saving change', () => {
		const ny = 'America/New_York';
		// Clocks go forward on 9 March 2025: midnight is 05:00Z before and 04:00Z after.
		expect(iso(lessonOpensAt(Date.UTC(2025, 2, 8, 12), { dripDay: 1 }, ny))).toBe('2025-03-09T05:00:00.000Z');
		expect(iso(lessonOpensAt(Date.UTC(2025, 2, 8, 12), { dripDay: 2 }, ny))).toBe('2025-03-10T04:00:00.000Z');
	});
});

describe('lessonOpensAt against a reference that asks Intl every time', () => {
	/** Local midnight found by searching minute by minute backwards from the local wall clock, uncached. */
	function referenceMidnight(instant: number, dayOffset: number, timeZone: string): number {
		const wall = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		const target = new Date(Date.parse(wall.format(new Date(instant))) + dayOffset * 86_400_000);
		const wanted = target.toISOString().slice(0, 10);
		// Start well before and step forward to the first minute whose local date is the wanted one.
		let t = Date.parse(wanted) - 15 * 3_600_000;
		while (wall.format(new Date(t)) < wanted) t += 60_000;
		return t;
	}

	it('agrees in zones with daylight saving and half- and quarter-hour offsets, around their changes', () => {
		const zones = ['Asia/Dhaka', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
		const instants = [
			Date.UTC(2025, 2, 9, 6, 59), // New York, just before clocks go forward
			Date.UTC(2025, 2, 30, 0, 59), // London, a minute before the change
			Date.UTC(2025, 3, 5, 15, 14), // Lord Howe, around its half-hour change
			Date.UTC(2025, 9, 4, 15, 44),
			Date.UTC(2025, 10, 2, 5, 59),
			Date.UTC(2026, 0, 1, 0, 0)
		];
		for (const timeZone of zones) {
			for (const instant of instants) {
				for (const dripDay of [0, 1, 2, 10]) {
					const got = lessonOpensAt(instant, { dripDay }, timeZone);
					expect(iso(got), `${timeZone} ${iso(instant)} +${dripDay}`).toBe(
						iso(referenceMidnight(instant, dripDay, timeZone))
					);
				}
			}
		}
	});
});

describe('formatOpensOn', () => {
	it("shows the year only when the opening falls in another year than today's, in the course's timezone", () => {
		const now = Date.UTC(2025, 11, 31, 12); // 31 December, 18:00 in Dhaka
		expect(formatOpensOn(Date.UTC(2025, 11, 31, 17), now, DHAKA)).toBe('৩১ ডিসেম্বর');
		// 18:00Z on 31 December is already 1 January in Dhaka.
		expect(formatOpensOn(Date.UTC(2025, 11, 31, 18), now, DHAKA)).toBe('১ জানুয়ারি, ২০২৬');
	});
});

describe('isLessonOpen', () => {
	const enrolledAt = Date.UTC(2025, 10, 20, 6); // noon in Dhaka
	const enrolment = { enrolledAt, allLessonsOpen: false };
	const lesson = { dripDay: 2, free: false };

	it('is closed until the drip date and open from its first millisecond', () => {
		const opensAt = Date.UTC(2025, 10, 21, 18);
		expect(isLessonOpen(enrolment, lesson, opensAt - 1, DHAKA)).toBe(false);
		expect(isLessonOpen(enrolment, lesson, opensAt, DHAKA)).toBe(true);
	});

	it('is open at once for a free preview or when the seller opened every lesson', () => {
		expect(isLessonOpen(enrolment, { ...lesson, free: true }, enrolledAt, DHAKA)).toBe(true);
		expect(isLessonOpen({ ...enrolment, allLessonsOpen: true }, { dripDay: 14, free: false }, enrolledAt, DHAKA)).toBe(
			true
		);
	});
});
