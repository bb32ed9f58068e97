import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { course } from '../course';
import { db } from '../db';
import { stmt } from '../db/statements';
import { config } from '../env';

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

/** The student's certificate (issue: certificates table, id → user), or their course page until it exists. */
export function certificateUrl(userId: number): string {
	const row = stmt('select id from certificates where user_id = ?').get(userId) as { id: string } | undefined;
	return row ? siteUrl(`/certificate/${encodeURIComponent(row.id)}`) : siteUrl('/course');
}

let secret: { client: unknown; key: Buffer } | undefined;

/** A random key made once per store and kept in settings: it signs unsubscribe links. */
function linkSecret(): Buffer {
	const client = db().$client;
	if (secret?.client === client) return secret.key;
	stmt("insert into settings (key, value) values ('mail-link-secret', ?) on conflict (key) do nothing").run(
		randomBytes(32).toString('base64url')
	);
	const row = stmt("select value from settings where key = 'mail-link-secret'").get() as { value: string };
	secret = { client, key: Buffer.from(row.value, 'base64url') };
	return secret.key;
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
