import * as v from 'valibot';

const MISSING = 'আপনার ইমেইল ঠিকানা লিখুন।';

/**
 * The one schema for an email address wherever one comes in (sign-in, signup, checkout, a buyer's address from Stripe,
 * ADMIN_EMAILS): trimmed, at most 254 characters, and lower-cased, so each person has one address in the store.
 * Its messages are what a reader sees under the field.
 */
export const EmailAddress = v.pipe(
	v.string(MISSING),
	v.trim(),
	v.nonEmpty(MISSING),
	v.maxLength(254, 'ইমেইল ঠিকানাটি অনেক লম্বা। ঠিকানাটি আরেকবার দেখে নিন।'),
	v.email('ইমেইল ঠিকানাটি ঠিক মনে হচ্ছে না। এভাবে লিখুন: name@example.com'),
	v.toLowerCase()
);
