// Tests that break a course on purpose work on a temporary copy of the fixture course, and read the problems
// the loader reports as file:line.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, expect } from 'vitest';
import { formatProblem, readCourse, type CourseProblem } from '../../src/lib/server/course';
import { FIXTURE_COURSE_DIR } from './fixture-course';
import { ROOT } from './mail-env';

/** Registers the clean-up for a test file and returns a function that makes a fresh copy of the fixture course. */
export function useCourseCopies(prefix: string): () => string {
	const copies: string[] = [];
	afterEach(() => {
		for (const dir of copies.splice(0)) rmSync(resolve(dir, '..'), { recursive: true, force: true });
	});
	return () => {
		const dir = join(mkdtempSync(join(tmpdir(), `${prefix}-`)), 'course');
		cpSync(FIXTURE_COURSE_DIR, dir, { recursive: true });
		copies.push(dir);
		return dir;
	};
}

/** Rewrites file through change, and fails the test when the change did nothing (the text it looked for moved). */
export function edit(file: string, change: (source: string) => string): void {
	const before = readFileSync(file, 'utf8');
	const after = change(before);
	expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
	writeFileSync(file, after);
}

/** The 1-based lines of file that contain text; fails the test when there is none. */
export function linesOf(file: string, text: string): number[] {
	const lines = readFileSync(file, 'utf8')
		.split('\n')
		.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
	expect(lines.length, `"${text}" is not in ${file}`).toBeGreaterThan(0);
	return lines;
}

/** The 1-based line of the first line in file that contains text. */
export function lineOf(file: string, text: string): number {
	return linesOf(file, text)[0];
}

/** The problems of a course that must not load. */
export function problemsOf(dir: string): CourseProblem[] {
	const { course, problems } = readCourse(dir);
	expect(course).toBeUndefined();
	expect(problems.length).toBeGreaterThan(0);
	return problems;
}

/** Asserts that the problems include one at file:line whose message contains text. */
export function expectProblem(problems: CourseProblem[], file: string, line: number, text: string): void {
	const found = problems.find((p) => p.file === file && p.line === line && p.message.includes(text));
	expect(found, `expected ${file}:${line} ${text}, got:\n${problems.map(formatProblem).join('\n')}`).toBeDefined();
}

/** Writes files into dir's folder under (its path → text; undefined deletes the file); returns dir. */
export function writeFiles(dir: string, under: string, files: Record<string, string | undefined>): string {
	for (const [path, text] of Object.entries(files)) {
		const file = join(dir, under, path);
		if (text === undefined) rmSync(file);
		else {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, text);
		}
	}
	return dir;
}

/** Every problem of the course in dir as `file:line message`, its paths relative to dir. */
export function problemLines(dir: string): string[] {
	return readCourse(dir).problems.map((p) => formatProblem(p).replaceAll(`${dir}/`, ''));
}

/** Asserts that problems are exactly one for each of expected, each starting with its `file:line message`. */
export function expectProblemLines(problems: string[], expected: string[]): void {
	for (const start of expected)
		expect(
			problems.some((p) => p.startsWith(start)),
			`${start}\n\n${problems.join('\n')}`
		).toBe(true);
	expect(problems).toHaveLength(expected.length);
}

/** `npm run course:check` with env added to this process's; its exit status and everything it printed. */
export function courseCheck(env: NodeJS.ProcessEnv): { status: number | null; output: string } {
	const result = spawnSync('npm', ['run', '--silent', 'course:check'], {
		cwd: ROOT,
		env: { ...process.env, ...env },
		encoding: 'utf8'
	});
	return { status: result.status, output: result.stdout + result.stderr };
}
