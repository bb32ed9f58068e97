import * as v from 'valibot';
import {
	CONSENT_VERSION,
	isConsentVersion,
	SIGNUP_FORMS,
	type ConsentVersion,
	type SignupFormName
} from '../../consent';
import { hitRateLimits } from '../auth/rate-limit';
import { oneLine } from './layout';

const EMAIL_MISSING = 'আপনার ইমেইল ঠিকানা লিখুন।';

const SignupSchema = v.object({
	email: v.pipe(
		v.string(EMAIL_MISSING),
		v.trim(),
		v.nonEmpty(EMAIL_MISSING),
		v.maxLength(254, 'ইমেইল ঠিকানাটি অনেক লম্বা। ঠিকানাটি আরেকবার দেখে নিন।'),
		v.email('ইমেইল ঠিকানাটি ঠিক মনে হচ্ছে না। এভাবে লিখুন: name@example.com'),
		v.toLowerCase()
	),
	// A name only ever appears in a mail's greeting; control characters and line breaks are dropped all the same.
	name: v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => oneLine(s.replace(/\p{Cc}+/gu, ' ')).replace(/\s+/g, ' ')),
		v.maxLength(80, 'নামটি ৮০ অক্ষরের মধ্যে লিখুন।'),
		v.check((s) => !/[<>]/.test(s), 'নামে < বা > চিহ্ন ব্যবহার করা যাবে না।')
	)
});

export interface SignupInput {
	email: string;
	name: string;
	form: SignupFormName;
	page: string;
	consent: ConsentVersion;
}

export type SignupParse =
	| { ok: true; value: SignupInput }
	| { ok: false; message: string; email: string; name: string; form: SignupFormName; page: string };

function field(data: FormData, name: string): string {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
}

/** Reads a signup form. Only the address and the name can be wrong; the hidden fields fall back to safe values. */
export function readSignup(data: FormData): SignupParse {
	const rawForm = field(data, 'form');
	const form = (SIGNUP_FORMS as readonly string[]).includes(rawForm) ? (rawForm as SignupFormName) : 'signup-page';
	const rawPage = field(data, 'page');
	const page = /^\/(?!\/)[^\s\\]{0,200}$/.test(rawPage) ? rawPage : '/subscribe';
	const rawConsent = field(data, 'consent');
	const consent = isConsentVersion(rawConsent) ? rawConsent : CONSENT_VERSION;
	const result = v.safeParse(SignupSchema, { email: field(data, 'email'), name: field(data, 'name') });
	if (!result.success) {
		return {
			ok: false,
			message: result.issues[0].message,
			email: field(data, 'email').slice(0, 254),
			name: field(data, 'name').slice(0, 80),
			form,
			page
		};
	}
	return { ok: true, value: { ...result.output, form, page, consent } };
}

const SIGNUPS_PER_IP = { limit: 20, windowMs: 60 * 60 * 1000 };

/** At most 20 signups an hour from one IP, so the form cannot be used to mail-bomb many addresses. */
export function signupAllowed(ip: string, now = Date.now()): boolean {
	return hitRateLimits([{ bucket: `subscribe-ip:${ip}`, ...SIGNUPS_PER_IP }], now).allowed;
}
