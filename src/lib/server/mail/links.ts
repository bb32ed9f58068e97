import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { bengaliCode } from '../auth/sign-in-code';
import { createLoginToken, type LoginTokenOptions } from '../auth/tokens';
import { certificateIdOf } from '../certificate';
import { course } from '../course';
import { db, type Db } from '../db';
import { settings } from '../db/schema';
import { config } from '../env';
import { issueConfirmToken } from './subscribers';
import type { SignInLink } from './templates';

/** Every link in a mail is built from ORIGIN. */
export function siteUrl(path: string): string {
	return `${config().origin}${path}`;
}

export function lessonUrl(slug: string): string {
	return siteUrl(`/lessons/${encodeURIComponent(slug)}`);
}

/** The first free preview lesson (the introduction by default), or the sales page when there is none. */
export function firstLessonUrl(): string {
	const first = course().lessons.find((l) => l.free);
	return first ? lessonUrl(first.slug) : siteUrl('/');
}

/** The student's certificate, or their course page until it exists. */
export function certificateUrl(userId: number): string {
	const id = certificateIdOf(userId);
	return id ? siteUrl(`/certificate/${encodeURIComponent(id)}`) : siteUrl('/course');
}

/**
 * A sign-in link made when its mail is composed (so no usable secret waits in the outbox), with the code beside it
 * when a browser asked: spelt in Bengali digits, and in Latin ones (what a phone keyboard may offer).
 */
export function signInLink(email: string, next: string | null, options: LoginTokenOptions): SignInLink {
	const { token, code } = createLoginToken(email, next, options);
	return {
		url: siteUrl(`/login/verify?token=${encodeURIComponent(token)}`),
		code: code ? { bengali: bengaliCode(code), latin: code } : null
	};
}

/** The link of a subscription's confirmation mail, the only one that works; undefined once the address confirmed. */
export function confirmLink(email: string, now: number): string | undefined {
	const token = issueConfirmToken(email, now);
	return token && siteUrl(`/subscribe/confirm?token=${encodeURIComponent(token)}`);
}

const SECRET_KEY = 'mail-link-secret';
const secrets = new WeakMap<Db, Buffer>();

/** A random key made once per store and kept in settings: it signs unsubscribe links. */
function linkSecret(): Buffer {
	const handle = db();
	let key = secrets.get(handle);
	if (!key) {
		handle
			.insert(settings)
			.values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') })
			.onConflictDoNothing()
			.run();
		const row = handle.select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).get();
		if (!row) throw new Error('the mail link secret was not stored');
		secrets.set(handle, (key = Buffer.from(row.value, 'base64url')));
	}
	return key;
}

function signature(email: string): Buffer {
	return createHmac('sha256', linkSecret()).update(`unsubscribe\n${email}`).digest().subarray(0, 18);
}

/**
 * An unsubscribe token: the address and an HMAC of it. It works for any address, never expires (RFC 8058 asks
 * for links that keep working), and cannot be made for an address without the store's key.
 */
export function unsubscribeToken(email: string): string {
	return `${Buffer.from(email).toString('base64url')}.${signature(email).toString('base64url')}`;
}

/** The address a token was made for, or undefined when it was not made by this store. */
export function readUnsubscribeToken(token: string | null): string | undefined {
	const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{24})$/.exec(token ?? '');
	if (!match) return undefined;
	const email = Buffer.from(match[1], 'base64url').toString();
	const given = Buffer.from(match[2], 'base64url');
	const expected = signature(email);
	return given.length === expected.length && timingSafeEqual(given, expected) ? email : undefined;
}

export function unsubscribeUrl(email: string): string {
	return siteUrl(`/unsubscribe?token=${unsubscribeToken(email)}`);
}

/**
 * What every marketing mail carries: a visible unsubscribe link, the sender's postal address and the
 * RFC 2369 / RFC 8058 headers that let a mail app unsubscribe in one click.
 */
export function marketingParts(email: string): {
	footer: string[];
	unsubscribe: string;
	headers: Record<string, string>;
} {
	const unsubscribe = unsubscribeUrl(email);
	const { title } = course();
	const postal = config().mailPostalAddress ?? 'ডেমো মোড: এখানে MAIL_POSTAL_ADDRESS-এর ঠিকানা থাকবে';
	return {
		unsubscribe,
		footer: [
			`আপনি এই ইমেইল পাচ্ছেন কারণ আপনি “${title}”-এর ইমেইল তালিকায় যোগ দিয়েছেন বা কোর্সটি কিনেছেন।`,
			`প্রেরক: ${title}, ${postal}`
		],
		headers: {
			'List-Unsubscribe': `<${unsubscribe}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
}
