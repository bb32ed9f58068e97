import { describe, expect, it } from 'vitest';
import { isLessonOpen, lessonOpensAt } from '../../src/lib/server/drip';

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
