/** What an email step's front matter may say: its valibot schema, with lesson references, conditions and placeholders. */
import * as v from 'valibot';
import { delay, readWith, subject, type MailKind, type Problem } from './mail-file';
import { isMapping } from './schema';

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

const PLACEHOLDERS = [
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
const STUDENT_LINKS: readonly string[] = ['my_course', 'certificate', 'lesson'];

/** The slug of the lesson value names, by number (03) or by slug; key is the word that named it. */
function lessonSlug(value: unknown, key: string, lessons: LessonRef[]): string | Problem {
	const found =
		typeof value === 'number'
			? lessons.find((l) => l.number === value)
			: lessons.find(
					(l) => l.slug === value || (typeof value === 'string' && /^\d+$/.test(value) && l.number === Number(value))
				);
	return (
		found?.slug ?? {
			problem: `${key} names lesson "${String(value)}", which is no lesson (use its number, e.g. 03, or its slug)`
		}
	);
}

function readCondition(item: unknown, key: string, sequence: SequenceName, lessons: LessonRef[]): Condition | Problem {
	let name: string;
	let value: unknown = undefined;
	if (typeof item === 'string') name = item;
	else if (isMapping(item) && Object.keys(item).length === 1) [[name, value]] = Object.entries(item);
	else return { problem: `${key} entries are a word such as purchased, or one pair such as lesson_done: 03` };
	const leadOnly = name === 'purchased';
	if (
		leadOnly !== (sequence === 'lead') &&
		['purchased', 'course_done', 'lesson_done', 'lesson_viewed', 'not_viewed_for_days'].includes(name)
	)
		return {
			problem: leadOnly
				? `purchased only makes sense in the lead sequence (every student has bought)`
				: `${name} reads a student's progress: use it in the student sequence`
		};
	switch (name) {
		case 'purchased':
		case 'course_done':
			return value === undefined ? { kind: name } : { problem: `${name} takes no value` };
		case 'lesson_done':
		case 'lesson_viewed': {
			const lesson = lessonSlug(value, name, lessons);
			return typeof lesson === 'string' ? { kind: name, lesson } : lesson;
		}
		case 'not_viewed_for_days':
			if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 365)
				return { problem: `not_viewed_for_days needs a whole number of days from 1 to 365, got ${String(value)}` };
			return { kind: name, days: value };
		default:
			return {
				problem: `unknown condition "${name}": use purchased, course_done, lesson_done: NN, lesson_viewed: NN or not_viewed_for_days: N`
			};
	}
}

/** skip_if or wait_for: a list of conditions, each problem at its item's line. */
const conditions = (key: string, sequence: SequenceName, lessons: LessonRef[]) =>
	v.optional(
		v.array(
			readWith((item) => readCondition(item, key, sequence, lessons)),
			`${key} must be a list, e.g. ${key}: [lesson_done: 03]`
		),
		[]
	);

function readButton(input: unknown, sequence: SequenceName): { label: string; link: ButtonLink } | Problem {
	const { label, link } = isMapping(input) ? input : {};
	const labelText = typeof label === 'string' ? label.trim() : '';
	const linkText = typeof link === 'string' ? link.trim() : '';
	if (!labelText || !(BUTTON_LINKS as readonly string[]).includes(linkText))
		return { problem: `button needs a label and a link, one of ${BUTTON_LINKS.join(', ')}` };
	if (STUDENT_LINKS.includes(linkText) && sequence !== 'student')
		return { problem: `the ${linkText} link is only known in the student sequence` };
	return { label: labelText, link: linkText as ButtonLink };
}

/** Why {{name}} cannot be filled in a mail of sequence (a broadcast reads as the lead sequence), or undefined. */
export function stepPlaceholderProblem(sequence: SequenceName) {
	return (name: string, given: (key: string) => boolean): string | undefined => {
		if (!PLACEHOLDERS.includes(name))
			return `unknown placeholder {{${name}}}: use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`;
		if (STUDENT_ONLY.includes(name) && sequence !== 'student')
			return `{{${name}}} is only known in the student sequence`;
		if (name.startsWith('lesson_') && !given('lesson_opens'))
			return `{{${name}}} needs lesson_opens: NN in the front matter`;
		return undefined;
	};
}

/** A step of sequence: what its front matter may say. The rules between keys are in sequences.ts. */
export function stepKind(sequence: SequenceName, lessons: LessonRef[]) {
	const schema = v.object({
		subject,
		delay: v.optional(delay('2d, 12h, 30m or 0')),
		after: v.optional(v.picklist(['previous', 'start'], 'after must be previous (the default) or start'), 'previous'),
		lesson_opens: v.optional(
			sequence === 'student'
				? readWith((value) => lessonSlug(value, 'lesson_opens', lessons))
				: v.never('lesson_opens is for the student sequence')
		),
		skip_if: conditions('skip_if', sequence, lessons),
		wait_for: conditions('wait_for', sequence, lessons),
		button: v.optional(readWith((input) => readButton(input, sequence)))
	});
	const kind: MailKind<typeof schema> = {
		schema,
		keys: 'subject: ..., delay: ...',
		placeholderProblem: stepPlaceholderProblem(sequence)
	};
	return kind;
}
