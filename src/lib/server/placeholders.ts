/**
 * The {{placeholders}} a seller can write in the legal pages (course/pages/) and in FAQ answers: values that
 * live in course.yaml or the environment, so the seller's address or the refund period is written once.
 */

/** Each placeholder and where its value comes from (shown by course:check for an unknown one). */
export const PLACEHOLDERS = {
	course_title: 'title in course.yaml',
	course_url: 'the store’s address (ORIGIN)',
	price: 'price and currency in course.yaml, e.g. ৳১,৫০০',
	seller: 'seller in course.yaml, else author',
	contact_email: 'contact_email in course.yaml, else the address in MAIL_FROM',
	postal_address: 'MAIL_POSTAL_ADDRESS',
	refund_days: 'refund_days in course.yaml',
	lessons_open_at_once: 'how many lessons open on the day of buying (drip: 0)',
	days_to_all_lessons: 'the largest drip day: when every lesson is open'
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Record<PlaceholderName, string>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function isPlaceholderName(name: string): name is PlaceholderName {
	return Object.hasOwn(PLACEHOLDERS, name);
}

/** Every {{name}} in text, with its index. */
export function findPlaceholders(text: string): { name: string; index: number }[] {
	return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], index: m.index }));
}

/** Why {{name}} cannot be filled, or undefined when it can. */
export function placeholderProblem(name: string, refundDaysSet: boolean): string | undefined {
	if (!isPlaceholderName(name))
		return `unknown placeholder {{${name}}}: use ${Object.keys(PLACEHOLDERS)
			.map((p) => `{{${p}}}`)
			.join(', ')}`;
	if (name === 'refund_days' && !refundDaysSet)
		return '{{refund_days}} needs refund_days in course.yaml (the days within which a buyer gets the money back)';
	return undefined;
}

// Markdown's own characters in a value (a postal address with an asterisk) must print as themselves.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~#]/g;
// Left as they are so that Markdown turns them into links.
const LINKED: readonly PlaceholderName[] = ['contact_email', 'course_url'];

/** Markdown with every known {{name}} replaced by its value; unknown ones stay (course:check reports them). */
export function fillPlaceholders(markdown: string, values: PlaceholderValues): string {
	return markdown.replace(PLACEHOLDER, (all, name: string) => {
		if (!isPlaceholderName(name)) return all;
		return LINKED.includes(name) ? values[name] : values[name].replace(MARKDOWN_SPECIAL, '\\$&');
	});
}
