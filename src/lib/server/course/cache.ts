/**
 * The checked course kept between starts, in one file next to the database: a restart whose course/ is byte for
 * byte the one read last time skips parsing its YAML and rendering its Markdown, a fifth of a cold start's CPU.
 * The key is a hash of every file under course/ (names and bytes), the folder's path, the build and Node's
 * version, so any edit, another course or a new release reads course/ again; a file that is unreadable, corrupt
 * or for another key is ignored and rewritten. Only a course without problems is kept: a broken one never loads.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { loadCourse, type Course } from './index';

const HASH_BYTES = 32;

/** Where the course is kept for a database: beside it, in the data folder; none for an in-memory database. */
export function courseCacheFile(databasePath: string): string | undefined {
	return databasePath === ':memory:' ? undefined : join(dirname(resolve(databasePath)), 'course-cache.bin');
}

/** A hash of every file under dir, by path relative to it, with the build and Node (ICU checks the timezone). */
export function courseKey(dir: string, buildId: string): Buffer {
	const root = resolve(dir);
	const hash = createHash('sha256').update(JSON.stringify([root, buildId, process.version]));
	const walk = (rel: string): void => {
		for (const name of readdirSync(join(root, rel)).sort()) {
			const path = join(rel, name);
			if (statSync(join(root, path)).isDirectory()) walk(path);
			else {
				const bytes = readFileSync(join(root, path));
				hash.update(`\0${path}\0${bytes.length}\0`).update(bytes);
			}
		}
	};
	walk('');
	return hash.digest();
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** The kept course for key, or undefined when there is none, it is for another key, or it does not read back whole. */
function readKept(file: string, key: Buffer): Course | undefined {
	try {
		const bytes = readFileSync(file);
		if (bytes.length <= 2 * HASH_BYTES || !bytes.subarray(0, HASH_BYTES).equals(key)) return undefined;
		const payload = bytes.subarray(2 * HASH_BYTES);
		if (!sha256(payload).equals(bytes.subarray(HASH_BYTES, 2 * HASH_BYTES))) return undefined;
		const course = deserialize(payload) as Course;
		return Array.isArray(course?.lessons) && course.bySlug instanceof Map ? course : undefined;
	} catch {
		return undefined;
	}
}

/** Writes the file whole or not at all (a rename), so a crash mid-write leaves the last good one or none. */
function keep(file: string, key: Buffer, course: Course): void {
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		const payload = serialize(course);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(temporary, Buffer.concat([key, sha256(payload), payload]));
		renameSync(temporary, file);
	} catch {
		// A read-only data folder only costs the next start the parsing.
		rmSync(temporary, { force: true });
	}
}

/**
 * loadCourse(dir), from the kept copy when course/ has not changed since it was made. Throws a CourseError
 * as loadCourse does. cached: whether the course came from the kept copy.
 */
export function loadCourseCached(
	dir: string,
	cacheFile: string | undefined,
	buildId: string
): { course: Course; cached: boolean } {
	if (!cacheFile) return { course: loadCourse(dir), cached: false };
	const key = courseKey(dir, buildId);
	const kept = readKept(cacheFile, key);
	if (kept) return { course: kept, cached: true };
	const course = loadCourse(dir);
	// A file edited while it was being read: keep nothing rather than the new text under the old bytes' key.
	if (courseKey(dir, buildId).equals(key)) keep(cacheFile, key, course);
	return { course, cached: false };
}
