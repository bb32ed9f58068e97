// The course kept between starts (src/lib/server/course/cache.ts) is only ever the course on disk: an edit of any
// course file is read again, a kept copy that is corrupt or made for another course or build is ignored, and a
// course broken since it was kept does not start, while `npm run course:check` sees every problem as before.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CourseError, readCourse } from '../src/lib/server/course';
import { courseCacheFile, loadCourseCached } from '../src/lib/server/course/cache';
import { courseCheck, edit, useCourseCopies } from './support/course-copy';
import { fixtureCourse } from './support/fixture-course';
import { launchApp } from './support/server';

const copyCourse = useCourseCopies('course-cache');
const dataDirs: string[] = [];
afterEach(() => {
	for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data folder and the course cache file a store on it would keep. */
function dataDir(): { dir: string; cacheFile: string } {
	const dir = mkdtempSync(join(tmpdir(), 'course-cache-data-'));
	dataDirs.push(dir);
	return { dir, cacheFile: courseCacheFile(join(dir, 'store.db'))! };
}

const { free } = fixtureCourse();
const preview = free[0];
const NEW_TEXT = 'রান্নার আগে হাত ধুয়ে নিন: এই বাক্যটি পরে যোগ হয়েছে।';
const addParagraph = (source: string): string => `${source.trimEnd()}\n\n${NEW_TEXT}\n`;

describe('the course kept between starts', () => {
	it('is the course as read from its files, and a second start takes it from the kept copy', () => {
		const course = copyCourse();
		const { cacheFile } = dataDir();
		expect(loadCourseCached(course, cacheFile, 'build-1').cached).toBe(false);
		expect(existsSync(cacheFile)).toBe(true);
		const second = loadCourseCached(course, cacheFile, 'build-1');
		expect(second.cached).toBe(true);
		expect(second.course).toStrictEqual(readCourse(course).course);
		expect(second.course.bySlug.get(preview.slug)).toBe(second.course.lessons.find((l) => l.slug === preview.slug));
	});

	it('reads a lesson again once its file changed, and keeps the new text', () => {
		const course = copyCourse();
		const { cacheFile } = dataDir();
		loadCourseCached(course, cacheFile, 'build-1');
		edit(join(course, 'lessons', basename(preview.file)), addParagraph);
		const edited = loadCourseCached(course, cacheFile, 'build-1');
		expect(edited.cached).toBe(false);
		expect(edited.course.bySlug.get(preview.slug)?.html).toContain(NEW_TEXT);
		const again = loadCourseCached(course, cacheFile, 'build-1');
		expect(again.cached).toBe(true);
		expect(again.course.bySlug.get(preview.slug)?.html).toContain(NEW_TEXT);
	});

	it('reads a mail again once its file changed, and a file added anywhere under the course', () => {
		const course = copyCourse();
		const { cacheFile } = dataDir();
		const step = fixtureCourse().steps('lead')[0];
		loadCourseCached(course, cacheFile, 'build-1');
		edit(join(course, 'emails', 'lead', basename(step.file)), (s) => s.replace(/^subject: .*$/m, 'subject: নতুন বিষয়'));
		const edited = loadCourseCached(course, cacheFile, 'build-1');
		expect(edited.cached).toBe(false);
		expect(edited.course.sequences.find((s) => s.name === 'lead')?.steps[0].subject).toBe('নতুন বিষয়');

		writeFileSync(join(course, 'notes.txt'), 'not part of the course, but part of its folder');
		expect(loadCourseCached(course, cacheFile, 'build-1').cached).toBe(false);
	});

	it('reads the course again for a new build', () => {
		const course = copyCourse();
		const { cacheFile } = dataDir();
		loadCourseCached(course, cacheFile, 'build-1');
		expect(loadCourseCached(course, cacheFile, 'build-2').cached).toBe(false);
		expect(loadCourseCached(course, cacheFile, 'build-2').cached).toBe(true);
	});

	it('never gives one course the copy kept for another', () => {
		const first = copyCourse();
		const second = copyCourse();
		edit(join(second, 'lessons', basename(preview.file)), addParagraph);
		const { cacheFile } = dataDir();
		loadCourseCached(first, cacheFile, 'build-1');
		const other = loadCourseCached(second, cacheFile, 'build-1');
		expect(other.cached).toBe(false);
		expect(other.course.bySlug.get(preview.slug)?.html).toContain(NEW_TEXT);
		expect(other.course.lessons[0].file.startsWith(second)).toBe(true);
	});

	const damages: [string, (bytes: Buffer) => Buffer][] = [
		['empty', () => Buffer.alloc(0)],
		['cut short', (bytes) => bytes.subarray(0, bytes.length >> 1)],
		[
			'one byte of the course changed',
			(bytes) => Buffer.from(bytes.map((b, i) => (i === bytes.length - 9 ? b ^ 1 : b)))
		],
		['not a kept course at all', () => Buffer.from('{"lessons": []}')],
		['the right key, then garbage', (bytes) => Buffer.concat([bytes.subarray(0, 64), Buffer.from('garbage')])]
	];
	it.each(damages)('ignores a kept copy that is %s, reads the files and keeps a good copy again', (_, damage) => {
		const course = copyCourse();
		const { cacheFile } = dataDir();
		loadCourseCached(course, cacheFile, 'build-1');
		writeFileSync(cacheFile, damage(readFileSync(cacheFile)));
		const read = loadCourseCached(course, cacheFile, 'build-1');
		expect(read.cached).toBe(false);
		expect(read.course).toStrictEqual(readCourse(course).course);
		expect(loadCourseCached(course, cacheFile, 'build-1').cached).toBe(true);
	});

	it('does not start a course broken since it was kept, and course:check still names the problem', () => {
		const course = copyCourse();
		const { dir, cacheFile } = dataDir();
		loadCourseCached(course, cacheFile, 'build-1');
		const file = join(course, 'lessons', basename(preview.file));
		edit(file, (s) => s.replace(/^title:.*\n/m, ''));
		expect(() => loadCourseCached(course, cacheFile, 'build-1')).toThrow(CourseError);
		expect(() => loadCourseCached(course, cacheFile, 'build-1')).toThrow(`${file}:2 missing title`);
		const { status, output } = courseCheck({ COURSE_DIR: course, DATABASE_PATH: join(dir, 'store.db') });
		expect(status).toBe(1);
		expect(output).toContain('missing title');
	});
});

describe('a restart of the store', () => {
	it('serves a lesson edited while the store was stopped as it is now', async () => {
		const course = copyCourse();
		const { dir, cacheFile } = dataDir();
		const env = { COURSE_DIR: course };
		const page = async (origin: string): Promise<string> => {
			const res = await fetch(`${origin}/lessons/${preview.slug}`);
			expect(res.status).toBe(200);
			return res.text();
		};

		let app = await launchApp(join(dir, 'store.db'), env);
		try {
			expect(await page(app.origin)).not.toContain(NEW_TEXT);
		} finally {
			await app.stop();
		}
		expect(existsSync(cacheFile)).toBe(true);

		edit(join(course, 'lessons', basename(preview.file)), addParagraph);
		app = await launchApp(join(dir, 'store.db'), env);
		try {
			expect(await page(app.origin)).toContain(NEW_TEXT);
		} finally {
			await app.stop();
		}
	});
});
