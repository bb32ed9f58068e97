/**
 * What course.yaml says about the shop around the course: the questions the sales page answers, the author's
 * bio, the refund guarantee, whether to show how many students there are, and who the seller is. Read and
 * checked with the rest of course.yaml (course/index.ts calls readStorefront), so a mistake shows as file:line.
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { findPlaceholders, placeholderProblem } from './placeholders';

export interface FaqItem {
	question: string;
	/** Markdown with {{placeholders}}, filled and rendered when a page first needs it. */
	answer: string;
}

export interface Storefront {
	faq: FaqItem[];
	authorBio: string | undefined;
	/** Days after buying within which the money is returned on request; undefined = no guarantee is offered. */
	refundDays: number | undefined;
	/** Show the number of enrolled students once it reaches studentCountThreshold. */
	showStudentCount: boolean;
	studentCountThreshold: number;
	/** Who sells the course, as the legal pages name them (course.yaml `seller`, else `author`). */
	seller: string | undefined;
	/** Where buyers write (course.yaml `contact_email`, else the address in MAIL_FROM). */
	contactEmail: string | undefined;
}

/** Reports a problem at an offset in course.yaml (undefined: the top of the file). */
export type Report = (offset: number | undefined, message: string) => void;

const DEFAULT_THRESHOLD = 10;

/** The keys of course.yaml that this module reads, for the loader's check of misspelt keys. */
export const STOREFRONT_KEYS = [
	'seller',
	'contact_email',
	'author_bio',
	'refund_days',
	'show_student_count',
	'student_count_threshold',
	'faq'
] as const;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

function nodeOf(doc: Document, key: string): Node | undefined {
	const node: unknown = doc.get(key, true);
	return node === undefined || node === null ? undefined : (node as Node);
}

function textOf(node: unknown): string | undefined {
	return isScalar(node) && typeof node.value === 'string' && node.value.trim() ? node.value.trim() : undefined;
}

/** A whole number from min to max, or undefined (reported) when the key is there but is no such number. */
function wholeNumber(doc: Document, key: string, min: number, max: number, report: Report): number | undefined {
	const node = nodeOf(doc, key);
	if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
	const value: unknown = isScalar(node) ? node.value : undefined;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
		const got = isScalar(node) ? JSON.stringify(value) : 'a list';
		report(node.range?.[0], `${key} must be a whole number from ${min} to ${max}, got ${got}`);
		return undefined;
	}
	return value;
}

function optionalText(doc: Document, key: string, report: Report): string | undefined {
	const node = nodeOf(doc, key);
	if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) return undefined;
	const value = textOf(node);
	if (value === undefined) report(node.range?.[0], `${key} must be text`);
	return value;
}

/** The FAQ, and each {{placeholder}} in its answers with its offset in course.yaml. */
function readFaq(
	doc: Document,
	source: string,
	report: Report
): { items: FaqItem[]; placeholders: { name: string; offset: number }[] } {
	const items: FaqItem[] = [];
	const placeholders: { name: string; offset: number }[] = [];
	const node = nodeOf(doc, 'faq');
	if (node === undefined || (isScalar(node) && node.value === null)) return { items, placeholders };
	if (!isSeq(node)) {
		report(node.range?.[0], 'faq must be a list of entries with a question and an answer');
		return { items, placeholders };
	}
	for (const item of node.items as Node[]) {
		const question = isMap(item) ? textOf(item.get('question', true)) : undefined;
		const answerNode: unknown = isMap(item) ? item.get('answer', true) : undefined;
		const answer = textOf(answerNode);
		if (!question || !answer) {
			report(item.range?.[0], 'each faq entry needs a question: and an answer:');
			continue;
		}
		// Reported where the seller wrote it: the line in course.yaml, not the place in the folded value.
		const [start, end] = (answerNode as Node).range ?? [0, 0];
		for (const { name } of findPlaceholders(answer)) {
			const match = new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).exec(source.slice(start, end));
			placeholders.push({ name, offset: match ? start + match.index : start });
		}
		items.push({ question, answer });
	}
	return { items, placeholders };
}

/** Reads and checks the storefront settings in course.yaml (its parsed `doc` and its `source` text). */
export function readStorefront(doc: Document, source: string, report: Report): Storefront {
	const faq = readFaq(doc, source, report);
	const refundDays = wholeNumber(doc, 'refund_days', 1, 365, report);
	for (const { name, offset } of faq.placeholders) {
		const problem = placeholderProblem(name, refundDays !== undefined);
		if (problem) report(offset, problem);
	}

	const showNode = nodeOf(doc, 'show_student_count');
	let showStudentCount = false;
	if (showNode !== undefined && !(isScalar(showNode) && showNode.value === null)) {
		if (isScalar(showNode) && typeof showNode.value === 'boolean') showStudentCount = showNode.value;
		else report(showNode.range?.[0], 'show_student_count must be true or false');
	}

	const contactEmail = optionalText(doc, 'contact_email', report);
	if (contactEmail !== undefined && !EMAIL.test(contactEmail))
		report(nodeOf(doc, 'contact_email')?.range?.[0], `contact_email must be an address like you@example.com`);

	return {
		faq: faq.items,
		authorBio: optionalText(doc, 'author_bio', report),
		refundDays,
		showStudentCount,
		studentCountThreshold: wholeNumber(doc, 'student_count_threshold', 1, 1_000_000, report) ?? DEFAULT_THRESHOLD,
		seller: optionalText(doc, 'seller', report),
		contactEmail: contactEmail !== undefined && EMAIL.test(contactEmail) ? contactEmail : undefined
	};
}
