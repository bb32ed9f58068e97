/**
 * One reader for the mails of course/emails/ (a sequence step, a broadcast, a recovery reminder): the front matter
 * checked against the kind's valibot schema (yaml.ts, each problem at its line), the Markdown body and every
 * {{placeholder}} in either.
 */
import * as v from 'valibot';
import { readFrontMatter } from '../front-matter';
import { findPlaceholders } from '../placeholders';
import type { CourseProblem } from './index';
import { required, text } from './schema';
import { checkYaml, type KeysSchema } from './yaml';

/** What one kind of mail may say. */
export interface MailKind<S extends KeysSchema> {
	schema: S;
	/** The keys named when the front matter is missing, e.g. "subject: ..., delay: ...". */
	keys: string;
	/** Why {{name}} cannot be filled in this mail, or undefined when it can; given(key): the front matter sets key. */
	placeholderProblem: (name: string, given: (key: string) => boolean) => string | undefined;
}

export interface MailFile<S extends KeysSchema> {
	/** The value of every key that passed its checks; a key with a problem is left out. */
	value: Partial<v.InferOutput<S>>;
	/** Whether the front matter sets key, valid or not: for the rules between keys. */
	given: (key: string) => boolean;
	/** The file's line of key (line 2 when it is absent). */
	lineOf: (key: string) => number;
	/** The body, Markdown with {{placeholders}}. */
	markdown: string;
}

/** Reads file as a mail of this kind, pushing each problem as file:line; undefined when it has no front matter to read. */
export function readMailFile<S extends KeysSchema>(
	file: string,
	kind: MailKind<S>,
	problems: CourseProblem[]
): MailFile<S> | undefined {
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({ file, line: 1, message: `missing front matter: start the file with ---, ${kind.keys}, ---` });
		return undefined;
	}
	// 1: the front matter starts on the line after the opening ---.
	const checked = checkYaml(front.yaml, kind.schema, file, 1, problems);
	if (!checked) return undefined;
	const given = (key: string): boolean => {
		const value: unknown = checked.doc.get(key);
		return value !== undefined && value !== null && value !== '';
	};
	if (!front.body.trim())
		problems.push({ file, line: front.bodyLine, message: 'the mail has no text after its front matter' });
	const parts = [
		{ source: front.yaml, firstLine: 2 },
		{ source: front.body, firstLine: front.bodyLine }
	];
	for (const { source, firstLine } of parts)
		source.split('\n').forEach((line, i) => {
			for (const { name } of findPlaceholders(line)) {
				const message = kind.placeholderProblem(name, given);
				if (message) problems.push({ file, line: firstLine + i, message });
			}
		});
	return { value: checked.value, given, lineOf: (key) => checked.lineOf([key]), markdown: front.body };
}

/** What a read function gives back when the value is wrong: the message, and the key of a map it is about. */
export interface Problem {
	problem: string;
	key?: string;
}

const isProblem = (value: unknown): value is Problem =>
	typeof value === 'object' && value !== null && 'problem' in value;

/** A schema from a function that reads a value or says what is wrong with it. */
export function readWith<T>(read: (input: unknown) => T | Problem) {
	return v.pipe(
		v.unknown(),
		v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
			const result = read(dataset.value);
			if (!isProblem(result)) return result;
			const { problem: message, key } = result;
			const input = dataset.value as Record<string, unknown>;
			// A problem with a map's entry is reported at that entry's line, not at its parent key's.
			const at = key === undefined ? undefined : { type: 'object' as const, origin: 'value' as const, input, key, value: input[key] };
			addIssue({ message, path: at && [at] });
			return NEVER;
		})
	);
}

export const subject = required(
	v.pipe(text('subject'), v.nonEmpty('missing subject'), v.maxLength(150, 'subject is longer than 150 characters')),
	'missing subject'
);

const DELAY = /^(\d{1,4})\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "2d", "12h", "30m" or 0 into milliseconds; undefined when it is none of these. */
function parseDelay(value: unknown): number | undefined {
	if (value === 0 || value === '0') return 0;
	if (typeof value !== 'string') return undefined;
	const match = DELAY.exec(value.trim());
	if (!match) return undefined;
	const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
	return ms <= 366 * UNIT_MS.d ? ms : undefined;
}

/** A delay in milliseconds; examples are the forms named when it is wrong, e.g. "1h, 1d or 30m". */
export const delay = (examples: string) =>
	readWith<number>(
		(input) =>
			parseDelay(input) ?? { problem: `delay must look like ${examples} (at most a year), got "${String(input)}"` }
	);
