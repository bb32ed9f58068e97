/**
 * Email sequences as files: course/emails/<sequence>/NN-slug.md, front matter and a Markdown body.
 * Read and checked with the course, so a bad mail stops the server and `npm run course:check` with file:line.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import type { CourseProblem } from './index';
import { BROADCASTS_FOLDER } from '../broadcasts/files';
import { readFrontMatter } from '../front-matter';
import {
	BUTTON_LINKS,
	checkPlaceholders,
	parseDelay,
	SEQUENCE_NAMES,
	StepReader,
	text,
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
const KEYS = ['subject', 'delay', 'after', 'lesson_opens', 'skip_if', 'wait_for', 'button'];

function readStep(
	dir: string,
	name: string,
	sequence: SequenceName,
	lessons: LessonRef[],
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
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({
			file,
			line: 1,
			message: 'missing front matter: start the file with ---, subject: ..., delay: ..., ---'
		});
		return undefined;
	}
	const reader = new StepReader(file, problems, lessons, sequence);
	const doc = parseDocument(front.yaml, { lineCounter: reader.lines, uniqueKeys: true });
	for (const error of doc.errors) reader.atOffset(error.pos[0], `YAML: ${error.message.split('\n')[0]}`);
	if (doc.errors.length) return undefined;
	const map = doc.contents;
	if (!isMap(map)) {
		reader.at(undefined, 'the front matter must be key: value pairs');
		return undefined;
	}
	const before = problems.length;
	const pair = (key: string) => map.items.find((p) => isScalar(p.key) && p.key.value === key);
	const get = (key: string): Node | undefined => pair(key)?.value as Node | undefined;
	for (const pair of map.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!KEYS.includes(key)) reader.at(pair.key, `unknown key "${key}": use ${KEYS.join(', ')}`);
	}

	const subject = text(get('subject'));
	if (!subject) reader.at(get('subject'), 'missing subject');
	else if (subject.length > 150) reader.at(get('subject'), 'subject is longer than 150 characters');

	const lessonNode = get('lesson_opens');
	let lessonOpens: string | undefined;
	if (lessonNode !== undefined) {
		if (sequence !== 'student') reader.at(lessonNode, 'lesson_opens is for the student sequence');
		else lessonOpens = reader.lesson(lessonNode, isScalar(lessonNode) ? lessonNode.value : undefined, 'lesson_opens');
	}

	const delayNode = get('delay');
	let delayMs = 0;
	if (delayNode === undefined) {
		if (lessonNode === undefined)
			reader.at(undefined, 'missing delay: e.g. delay: 2d (days), 12h (hours) or 0 (at once)');
	} else {
		const parsed = parseDelay(isScalar(delayNode) ? delayNode.value : undefined);
		if (parsed === undefined)
			reader.at(
				delayNode,
				`delay must look like 2d, 12h, 30m or 0 (at most a year), got "${String(isScalar(delayNode) ? delayNode.value : '')}"`
			);
		else delayMs = parsed;
	}

	const afterNode = get('after');
	const after = afterNode === undefined ? 'previous' : text(afterNode);
	if (after !== 'previous' && after !== 'start') reader.at(afterNode, 'after must be previous (the default) or start');
	if (afterNode !== undefined && lessonNode !== undefined)
		reader.at(afterNode, 'after and lesson_opens cannot be used together: lesson_opens counts from the lesson opening');

	const skipIf = reader.conditions(get('skip_if'), 'skip_if');
	const waitFor = reader.conditions(get('wait_for'), 'wait_for');

	const buttonNode = get('button');
	// Problems with the button block are reported at its "button:" line.
	const buttonKey = pair('button')?.key as Node | undefined;
	let button: SequenceStep['button'];
	if (buttonNode !== undefined) {
		const label = isMap(buttonNode) ? text(buttonNode.get('label', true)) : undefined;
		const link = isMap(buttonNode) ? text(buttonNode.get('link', true)) : undefined;
		if (!label || !link || !(BUTTON_LINKS as readonly string[]).includes(link))
			reader.at(buttonKey, `button needs a label and a link, one of ${BUTTON_LINKS.join(', ')}`);
		else if ((link === 'my_course' || link === 'certificate' || link === 'lesson') && sequence !== 'student')
			reader.at(buttonKey, `the ${link} link is only known in the student sequence`);
		else if (link === 'lesson' && lessonNode === undefined)
			reader.at(buttonKey, 'the lesson link needs lesson_opens: NN');
		else button = { label, link: link as ButtonLink };
		if (label)
			checkPlaceholders(
				label,
				reader.lines.linePos(buttonNode.range?.[0] ?? 0).line + 1,
				reader,
				lessonNode !== undefined
			);
	}

	const { body: markdown, bodyLine } = front;
	if (!markdown.trim()) problems.push({ file, line: bodyLine, message: 'the mail has no text after its front matter' });
	checkPlaceholders(subject ?? '', 2, reader, lessonNode !== undefined);
	checkPlaceholders(markdown, bodyLine, reader, lessonNode !== undefined);

	if (problems.length > before || !subject) return undefined;
	return {
		sequence,
		id: name.slice(0, -3),
		file,
		subject,
		delayMs,
		after: after as 'previous' | 'start',
		lessonOpens,
		skipIf,
		waitFor,
		button,
		markdown
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
		const numbers = new Map<string, string>();
		for (const file of readdirSync(path)
			.filter((f) => f.endsWith('.md'))
			.sort()) {
			const number = /^\d+/.exec(file)?.[0];
			const same = number ? numbers.get(String(Number(number))) : undefined;
			if (number && same)
				problems.push({ file: join(path, file), line: 1, message: `duplicate step number ${number} (also ${same})` });
			if (number) numbers.set(String(Number(number)), join(path, file));
			const step = readStep(path, file, name as SequenceName, lessons, problems);
			if (step) steps.push(step);
		}
		sequences.push({ name: name as SequenceName, steps });
	}
	return sequences;
}
