// Broadcast files are checked with the course: a bad segment, placeholder or send_at fails with file:line, and
// `npm run course:check` warns about a send_at already past for a file the store has not sent.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { readCourse } from '../../src/lib/server/course';
import { openDatabase } from '../../src/lib/server/db';
import { courseCheck, problemLines, useCourseCopies, writeFiles } from '../support/course-copy';
import { FIXTURE_COURSE_DIR } from '../support/fixture-course';

const copyCourse = useCourseCopies('course-broadcasts');

/** A copy of the fixture course with extra broadcast files. */
const courseWith = (files: Record<string, string>): string => writeFiles(copyCourse(), 'emails/broadcasts', files);

const file = (front: string, body = 'নতুন পাঠ এসেছে: {{course_url}}') => `---\n${front}\n---\n\n${body}\n`;
const GOOD = 'subject: "নতুন পাঠ"\nsegment: students\nsend_at: 2099-12-20T10:00:00+06:00';

test("the fixture's broadcast is read with its segment and its moment", () => {
	const { course, problems } = readCourse(FIXTURE_COURSE_DIR);
	expect(problems).toEqual([]);
	expect(course?.broadcasts.map((b) => [b.id, b.segment, new Date(b.sendAt).toISOString()])).toEqual([
		['new-year-bonus', { kind: 'everyone' }, '2099-01-01T04:00:00.000Z']
	]);
});

test('every segment form is read, in the map form and in quotes', () => {
	const { course, problems } = readCourse(
		courseWith({
			'a.md': file('subject: a\nsegment:\n  students_inactive_days: 14\nsend_at: 2099-01-01T00:00:00Z'),
			'b.md': file('subject: b\nsegment: "source: lesson-end"\nsend_at: 2099-01-01T00:00:00+06:00'),
			'c.md': file('subject: c\nsegment: students_not_finished\nsend_at: 2099-01-01T00:00:00-04:30')
		})
	);
	expect(problems).toEqual([]);
	expect(course?.broadcasts.filter((b) => b.id.length === 1).map((b) => b.segment)).toEqual([
		{ kind: 'students_inactive_days', days: 14 },
		{ kind: 'source', source: 'lesson-end' },
		{ kind: 'students_not_finished' }
	]);
});

test.each([
	[
		'unknown segment',
		file(GOOD.replace('students', 'vip_buyers')),
		'emails/broadcasts/bad.md:3 unknown segment "vip_buyers"'
	],
	[
		'days out of range',
		file(GOOD.replace('segment: students', 'segment:\n  students_inactive_days: 0')),
		'emails/broadcasts/bad.md:4 students_inactive_days needs'
	],
	[
		'unknown placeholder',
		file(GOOD, 'প্রথম লাইন\n\nছাড়: {{discount_code}}'),
		'emails/broadcasts/bad.md:9 unknown placeholder {{discount_code}}'
	],
	[
		'a student-only placeholder',
		file(GOOD, '{{my_course_url}}'),
		'emails/broadcasts/bad.md:7 {{my_course_url}} is only known in the student sequence'
	],
	[
		'send_at without offset',
		file(GOOD.replace('+06:00', '')),
		'emails/broadcasts/bad.md:4 send_at must be an ISO 8601'
	],
	[
		'send_at not a date',
		file(GOOD.replace('2099-12-20T10:00:00+06:00', 'next friday')),
		'emails/broadcasts/bad.md:4 send_at must be an ISO 8601'
	],
	['missing send_at', file('subject: x\nsegment: students'), 'emails/broadcasts/bad.md:2 missing send_at'],
	['a sequence key', file(`${GOOD}\ndelay: 2d`), 'emails/broadcasts/bad.md:5 unknown key "delay"']
])('%s fails with file:line', (_, text, expected) => {
	const problems = problemLines(courseWith({ 'bad.md': text }));
	expect(
		problems.some((p) => p.startsWith(expected)),
		problems.join('\n')
	).toBe(true);
});

test('course:check fails on a bad broadcast with file:line, and warns about a past send_at not yet sent', () => {
	const bad = courseCheck({
		COURSE_DIR: courseWith({ 'bad.md': file(GOOD.replace('students', 'vips')) }),
		DATABASE_PATH: '/nonexistent/store.db'
	});
	expect(bad.status).toBe(1);
	expect(bad.output).toMatch(/emails\/broadcasts\/bad\.md:3 unknown segment "vips"/);

	const past = courseWith({
		'past.md': file(GOOD.replace('2099', '2020')),
		'sent.md': file(GOOD.replace('2099', '2021'))
	});
	const databasePath = join(past, 'store.db');
	openDatabase(databasePath).$client.close();
	const store = new Database(databasePath);
	store
		.prepare(
			"insert into broadcasts (file, subject, markdown, segment, status, send_at) values ('sent', 's', 'b', 'students', 'queued', 0)"
		)
		.run();
	store.close();
	const warned = courseCheck({ COURSE_DIR: past, DATABASE_PATH: databasePath });
	expect(warned.status, warned.output).toBe(0);
	expect(warned.output).toMatch(
		/emails\/broadcasts\/past\.md:4 warning: send_at 2020-12-20T04:00:00\.000Z is already past/
	);
	expect(warned.output).not.toContain('sent.md');
	expect(warned.output).toMatch(/^OK/m);
});
