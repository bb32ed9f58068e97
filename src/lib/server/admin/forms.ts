/** Input shapes of the desk's forms, checked with valibot at the route boundary. */
import * as v from 'valibot';
import { NAME_MAX_LENGTH, oneLineName } from '../auth/user';
import { EmailAddress } from '../email-address';

const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';

/** Latin digits for Bengali ones, so "১৫০০" and "1500" are the same amount. */
const latinDigits = (text: string): string => text.replace(/[০-৯]/g, (d) => String(BENGALI_DIGITS.indexOf(d)));

export const Id = v.pipe(v.string(), v.regex(/^\d{1,12}$/), v.transform(Number));

export const Name = v.pipe(
	v.optional(v.string(), ''),
	v.transform(oneLineName),
	v.maxLength(NAME_MAX_LENGTH, 'নামটি অনেক লম্বা।'),
	v.transform((name) => name || null)
);

export const Reason = v.pipe(
	v.string('কারণ লিখুন।'),
	v.transform(oneLineName),
	v.nonEmpty('কারণ লিখুন।'),
	v.maxLength(500, 'কারণটি ৫০০ অক্ষরের মধ্যে লিখুন।')
);

export const ManualEnrolment = v.object({
	email: EmailAddress,
	name: Name,
	amount: v.pipe(
		v.string('পরিমাণ লিখুন।'),
		v.transform((s) => latinDigits(s).replace(/[,\s]/g, '')),
		v.regex(/^\d{1,9}(\.\d{1,2})?$/, 'পরিমাণ লিখুন সংখ্যায়, যেমন ১৫০০।'),
		v.transform((s) => Math.round(Number(s) * 100))
	),
	currency: v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, 'মুদ্রা লিখুন তিন অক্ষরে, যেমন BDT।')),
	reference: v.pipe(
		v.optional(v.string(), ''),
		v.transform(oneLineName),
		v.maxLength(200, 'রেফারেন্সটি ২০০ অক্ষরের মধ্যে লিখুন।'),
		v.transform((s) => s || null)
	)
});

/** The first problem's message, for the page. */
export function firstIssue(issues: readonly { message: string }[]): string {
	return issues[0]?.message ?? 'অনুরোধটি বোঝা যায়নি।';
}
