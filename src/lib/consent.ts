/**
 * The consent sentence shown beside every signup form. Its version is stored with each subscription, so the
 * store can show what a subscriber agreed to. Never edit a published sentence: add a new version.
 */
export const CONSENT_TEXTS = {
	'2026-11-bn-1':
		'যোগ দিলে আপনি এই কোর্সের ফ্রি পাঠ, টিপস আর কোর্স কেনার আমন্ত্রণ ইমেইলে পেতে রাজি হচ্ছেন। প্রথমে একটি নিশ্চিত করার ইমেইল যাবে; প্রতিটি ইমেইলের নিচের লিংকে এক ক্লিকেই বের হয়ে যেতে পারবেন। আপনার ঠিকানা আমরা কাউকে দিই না।',
	'2026-12-bn-2':
		'যোগ দিলে আপনি এই কোর্সের ফ্রি পাঠ, টিপস আর কোর্স কেনার আমন্ত্রণ ইমেইলে পেতে রাজি হচ্ছেন। প্রথমে একটি নিশ্চিত করার ইমেইল যাবে; প্রতিটি ইমেইলের নিচের লিংকে এক ক্লিকেই বের হয়ে যেতে পারবেন। আপনার ঠিকানা আমরা কাউকে দিই না; কী রাখি আর কেন, তা গোপনীয়তা নীতিতে লেখা আছে।'
} as const;

/** The words of a consent sentence that link to the privacy policy (/privacy) where the form shows it. */
export const PRIVACY_POLICY_WORDS = 'গোপনীয়তা নীতি';

export type ConsentVersion = keyof typeof CONSENT_TEXTS;

export const CONSENT_VERSION: ConsentVersion = '2026-12-bn-2';

export function isConsentVersion(value: unknown): value is ConsentVersion {
	return typeof value === 'string' && Object.hasOwn(CONSENT_TEXTS, value);
}

/** Where a signup form sits; stored as evidence with the page's path. */
export const SIGNUP_FORMS = ['sales-page', 'lesson-end', 'signup-page'] as const;
export type SignupFormName = (typeof SIGNUP_FORMS)[number];
