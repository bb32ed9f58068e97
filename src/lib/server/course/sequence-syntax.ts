/** The pieces of an email step's front matter: delays, lesson references, conditions and placeholders. */
import { isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { CourseProblem } from './index';

/** Who starts each sequence: `lead` on confirming the list, `student` on purchase. */
export const SEQUENCE_NAMES = ['lead', 'student'] as const;
export type SequenceName = (typeof SEQUENCE_NAMES)[number];

export type Condition =
	| { kind: 'purchased' }
	| { kind: 'course_done' }
	| { kind: 'lesson_done'; lesson: string }
	| { kind: 'lesson_viewed'; lesson: string }
	| { kind: 'not_viewed_for_days'; days: number };

export const BUTTON_LINKS = ['first_lesson', 'course', 'lesson', 'my_course', 'certificate'] as const;
export type ButtonLink = (typeof BUTTON_LINKS)[number];

export interface LessonRef {
	number: number;
	slug: string;
}

const DELAY = /^(\d{1,4})\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
export const PLACEHOLDERS = [
	'course_title',
	'course_url',
	'first_lesson_url',
	'price',
	'my_course_url',
	'lesson_title',
	'lesson_url',
	'ebook_url',
	'ebook_pdf_url'
];
const STUDENT_ONLY = ['my_course_url', 'lesson_title', 'lesson_url', 'ebook_url', 'ebook_pdf_url'];

/** Parses "2d", "12h", "30m" or 0 into milliseconds; undefined when it is none of these. */
export function parseDelay(value: unknown): number | undefined {
	if (value === 0 || value === '0') return 0;
	if (typeof value !== 'string') return undefined;
	const match = DELAY.exec(value.trim());
	if (!match) return undefined;
	const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
	return ms <= 366 * UNIT_MS.d ? ms : undefined;
}

/** Reads one step's front matter, reporting problems at their line in the file. */
export class StepReader {
	readonly lines = new LineCounter();
	constructor(
		readonly file: string,
		readonly problems: CourseProblem[],
		readonly lessons: LessonRef[],
		readonly sequence: SequenceName
	) {}

	atOffset(offset: number | undefined, message: string): void {
		// +1: the front matter starts on the line after the opening ---.
		const line = offset === undefined ? 1 : this.lines.linePos(offset).line + 1;
		this.problems.push({ file: this.file, line, message });
	}

	at(node: Node | undefined | null, message: string): void {
		this.atOffset(node?.range?.[0], message);
	}

	lesson(node: Node, value: unknown, key: string): string | undefined {
		const found =
			typeof value === 'number'
				? this.lessons.find((l) => l.number === value)
				: this.lessons.find(
						(l) => l.slug === value || (typeof value === 'string' && /^\d+$/.test(value) && l.number === Number(value))
					);
		if (!found)
			this.at(
				node,
				`${key} names lesson "${String(value)}", which is no lesson (use its number, e.g. 03, or its slug)`
			);
		return found?.slug;
	}

	condition(item: unknown, key: string): Condition | undefined {
		const node = item as Node;
		let name: string;
		let value: unknown = undefined;
		if (isScalar(item) && typeof item.value === 'string') name = item.value;
		else if (isMap(item) && item.items.length === 1 && isScalar(item.items[0].key)) {
			name = String(item.items[0].key.value);
			const v = item.items[0].value;
			value = isScalar(v) ? v.value : undefined;
		} else {
			this.at(node, `${key} entries are a word such as purchased, or one pair such as lesson_done: 03`);
			return undefined;
		}
		const leadOnly = name === 'purchased';
		if (
			leadOnly !== (this.sequence === 'lead') &&
			['purchased', 'course_done', 'lesson_done', 'lesson_viewed', 'not_viewed_for_days'].includes(name)
		) {
			this.at(
				node,
				leadOnly
					? `purchased only makes sense in the lead sequence (every student has bought)`
					: `${name} reads a student's progress: use it in the student sequence`
			);
			return undefined;
		}
		switch (name) {
			case 'purchased':
			case 'course_done':
				if (value !== undefined) this.at(node, `${name} takes no value`);
				return { kind: name };
			case 'lesson_done':
			case 'lesson_viewed': {
				const lesson = this.lesson(node, value, name);
				return lesson ? { kind: name, lesson } : undefined;
			}
			case 'not_viewed_for_days':
				if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 365) {
					this.at(node, `not_viewed_for_days needs a whole number of days from 1 to 365, got ${String(value)}`);
					return undefined;
				}
				return { kind: name, days: value };
			default:
				this.at(
					node,
					`unknown condition "${name}": use purchased, course_done, lesson_done: NN, lesson_viewed: NN or not_viewed_for_days: N`
				);
				return undefined;
		}
	}

	conditions(node: Node | undefined, key: string): Condition[] {
		if (node === undefined) return [];
		if (!isSeq(node)) {
			this.at(node, `${key} must be a list, e.g. ${key}: [lesson_done: 03]`);
			return [];
		}
		return node.items.map((item) => this.condition(item, key)).filter((c): c is Condition => c !== undefined);
	}
}

export function text(node: unknown): string | undefined {
	return isScalar(node) && typeof node.value === 'string' && node.value.trim() ? node.value.trim() : undefined;
}

export function checkPlaceholders(source: string, firstLine: number, reader: StepReader, hasLesson: boolean): void {
	source.split('\n').forEach((line, i) => {
		for (const match of line.matchAll(PLACEHOLDER)) {
			const name = match[1];
			if (!PLACEHOLDERS.includes(name))
				reader.problems.push({
					file: reader.file,
					line: firstLine + i,
					message: `unknown placeholder {{${name}}}: use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`
				});
			else if (STUDENT_ONLY.includes(name) && reader.sequence !== 'student')
				reader.problems.push({
					file: reader.file,
					line: firstLine + i,
					message: `{{${name}}} is only known in the student sequence`
				});
			else if (name.startsWith('lesson_') && !hasLesson)
				reader.problems.push({
					file: reader.file,
					line: firstLine + i,
					message: `{{${name}}} needs lesson_opens: NN in the front matter`
				});
		}
	});
}
