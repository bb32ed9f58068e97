/**
 * What course.yaml and a lesson's front matter may say, as valibot schemas over the parsed YAML. Each top-level
 * key is one entry of a `v.object`; a key a schema does not list is reported as unknown (yaml.ts).
 */
import * as v from 'valibot';
import { WALLET_KEYS } from '../payments/wallet/config';
import { STOREFRONT_KEYS } from '../storefront';

export type Currency = 'BDT' | 'USD';

const CURRENCIES = ['BDT', 'USD'] as const;
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** How a wrong value is named in a message: the value itself, or what kind of thing it is. */
function shown(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object' && value !== null) return 'a map';
	return String(value);
}

/** A key that must be there: absent or left empty gives `missing`, otherwise schema checks the value. */
export function required<S extends v.GenericSchema>(schema: S, missing: string) {
	return v.pipe(
		v.unknown(),
		v.check((value) => value !== undefined, missing),
		schema
	);
}

export function text(key: string) {
	return v.pipe(v.string(`${key} must be text`), v.trim());
}

function isTimezone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

const priceProblem = (issue: v.BaseIssue<unknown>): string =>
	`price must be a positive whole number in the minor unit (150000 = ৳১,৫০০), got ${shown(issue.input)}`;

export const isMapping = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const dripDays = v.pipe(
	v.custom<Record<string, unknown>>(isMapping, 'drip must map each lesson slug to a day, e.g. introduction: 0'),
	v.rawCheck(({ dataset, addIssue }) => {
		if (!dataset.typed) return;
		for (const [slug, day] of Object.entries(dataset.value))
			if (typeof day !== 'number' || !Number.isSafeInteger(day) || day < 0 || day > 3650)
				addIssue({
					message: `drip day for "${slug}" must be a whole number of days from 0, got ${shown(day)}`,
					path: [{ type: 'object', origin: 'value', input: dataset.value, key: slug, value: day }]
				});
	}),
	v.transform((days) => days as Record<string, number>)
);

/** Read elsewhere from the same document (storefront.ts, payments/wallet/config.ts); listed here so that they are known keys. */
const storefrontKeys = Object.fromEntries([...STOREFRONT_KEYS, ...WALLET_KEYS].map((key) => [key, v.unknown()])) as Record<
	(typeof STOREFRONT_KEYS)[number] | (typeof WALLET_KEYS)[number],
	v.UnknownSchema
>;

export const courseFileSchema = v.object({
	id: required(v.pipe(text('id'), v.regex(SLUG, 'id must be ASCII like ai-passive-income')), 'missing id'),
	title: required(text('title'), 'missing title'),
	subtitle: v.optional(text('subtitle'), ''),
	author: required(text('author'), 'missing author'),
	promise: required(text('promise'), 'missing promise'),
	audience: v.optional(
		v.array(v.pipe(v.string('audience lines must be text'), v.trim()), 'audience must be a list of lines'),
		[]
	),
	price: required(
		v.pipe(v.number(priceProblem), v.safeInteger(priceProblem), v.minValue(1, priceProblem)),
		'missing price (in the minor unit: 150000 = ৳১,৫০০)'
	),
	currency: required(
		v.pipe(
			text('currency'),
			v.check(
				(code) => (CURRENCIES as readonly string[]).includes(code.toUpperCase()),
				(issue) => `unknown currency "${shown(issue.input)}": use BDT or USD`
			),
			v.toUpperCase(),
			v.picklist(CURRENCIES)
		),
		'missing currency'
	),
	timezone: v.optional(
		v.pipe(
			text('timezone'),
			v.check(isTimezone, (issue) => `unknown timezone "${shown(issue.input)}", e.g. Asia/Dhaka`)
		),
		'Asia/Dhaka'
	),
	free_previews: v.optional(
		v.array(v.string('free_previews entries must be lesson slugs'), 'free_previews must be a list of lesson slugs'),
		[]
	),
	drip: required(dripDays, 'missing drip: the day each lesson opens after enrolment'),
	...storefrontKeys
});

export type CourseFile = v.InferOutput<typeof courseFileSchema>;

export const lessonFrontMatterSchema = v.object({
	title: required(text('title'), 'missing title'),
	summary: required(text('summary'), 'missing summary'),
	task: v.optional(text('task'))
});
