/**
 * Email sequences as files: course/emails/<sequence>/NN-slug.md, front matter and a Markdown body.
 * Read and checked with the course, so a bad mail stops the server and `npm run course:check` with file:line.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CourseProblem } from './index';
import { BROADCASTS_FOLDER } from '../broadcasts/files';
import { readMailFile } from './mail-file';
import {
	SEQUENCE_NAMES,
	stepKind,
	type ButtonLink,
	type Condition,
	type LessonRef,
	type SequenceName
} from './sequence-syntax';

export type { ButtonLink, Condition, LessonRef, SequenceName } from './sequence-syntax';

export interface SequenceStep {
	sequence: SequenceName;
	/** The file name without .md, e.g. "02-passive-is-not-no-work": part of every mail's idempotency key. */
	id: string;
	file: string;
	subject: string;
	delayMs: number;
	/** What the delay counts from: the previous step's planned time (default) or the start of the sequence. */
	after: 'previous' | 'start';
	/** Slug of the lesson whose opening (lessonOpensAt) the delay counts from. */
	lessonOpens: string | undefined;
	skipIf: Condition[];
	waitFor: Condition[];
	button: { label: string; link: ButtonLink } | undefined;
	/** The body, Markdown with {{placeholders}}. */
	markdown: string;
}

export interface Sequence {
	name: SequenceName;
	steps: SequenceStep[];
}

/** Folders of course/emails/ that are no sequence, read by their own modules (recovery.ts, broadcasts/files.ts). */
const OTHER_MAIL_FOLDERS = ['recovery', BROADCASTS_FOLDER];
const STEP_FILE = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

function readStep(
	dir: string,
	name: string,
	sequence: SequenceName,
	kind: ReturnType<typeof stepKind>,
	problems: CourseProblem[]
): SequenceStep | undefined {
	const file = join(dir, name);
	if (!STEP_FILE.test(name)) {
		problems.push({
			file,
			line: 1,
			message: 'email files are named NN-slug.md with an ASCII slug, e.g. 02-first-idea.md'
		});
		return undefined;
	}
	const before = problems.length;
	const mail = readMailFile(file, kind, problems);
	if (!mail) return undefined;
	const { value, given, lineOf } = mail;
	// The rules between keys, which no one key's schema can see.
	const at = (key: string, message: string): void => {
		problems.push({ file, line: lineOf(key), message });
	};
	if (!given('delay') && !given('lesson_opens'))
		at('delay', 'missing delay: e.g. delay: 2d (days), 12h (hours) or 0 (at once)');
	if (given('after') && given('lesson_opens'))
		at('after', 'after and lesson_opens cannot be used together: lesson_opens counts from the lesson opening');
	if (value.button?.link === 'lesson' && !given('lesson_opens'))
		at('button', 'the lesson link needs lesson_opens: NN');

	if (problems.length > before || !value.subject) return undefined;
	return {
		sequence,
		id: name.slice(0, -3),
		file,
		subject: value.subject,
		delayMs: value.delay ?? 0,
		after: value.after ?? 'previous',
		lessonOpens: value.lesson_opens,
		skipIf: value.skip_if ?? [],
		waitFor: value.wait_for ?? [],
		button: value.button,
		markdown: mail.markdown
	};
}

/** Reads every sequence under dir (course/emails); a missing folder is no sequence at all. */
export function readSequences(dir: string, lessons: LessonRef[], problems: CourseProblem[]): Sequence[] {
	if (!existsSync(dir)) return [];
	const sequences: Sequence[] = [];
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (!statSync(path).isDirectory() || OTHER_MAIL_FOLDERS.includes(name)) continue;
		if (!(SEQUENCE_NAMES as readonly string[]).includes(name)) {
			problems.push({
				file: path,
				line: 1,
				message: `nothing starts a sequence called "${name}": the sequences are ${SEQUENCE_NAMES.join(' and ')}`
			});
			continue;
		}
		const steps: SequenceStep[] = [];
		const kind = stepKind(name as SequenceName, lessons);
		const numbers = new Map<string, string>();
		for (const file of readdirSync(path)
			.filter((f) => f.endsWith('.md'))
			.sort()) {
			const number = /^\d+/.exec(file)?.[0];
			const same = number ? numbers.get(String(Number(number))) : undefined;
			if (number && same)
				problems.push({ file: join(path, file), line: 1, message: `duplicate step number ${number} (also ${same})` });
			if (number) numbers.set(String(Number(number)), join(path, file));
			const step = readStep(path, file, name as SequenceName, kind, problems);
			if (step) steps.push(step);
		}
		sequences.push({ name: name as SequenceName, steps });
	}
	return sequences;
}
