/**
 * A mail frozen into its batch: the exact payload that is sent, and sent again after a crash under the same
 * idempotency key. Large parts shared by many mails (a sequence step's body) are stored once in mail_parts and
 * referred to by their hash, so freezing 100 mails writes a few hundred bytes each instead of kilobytes.
 */
import { eq, sql } from 'drizzle-orm';
import { db, type Db } from '../db';
import { preparedFor } from '../db/prepared';
import { mailParts } from '../db/schema';
import { sha256 } from '../sha256';
import type { OutgoingMail } from './transport';

// Private-use characters: they never occur in the store's mails, so they can mark a reference.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const REFERENCE = /\uE000([0-9a-f]{32})\uE001/g;
/** Smaller parts are not worth a reference. */
const MIN_PART = 256;

const storePart = preparedFor((db) =>
	db
		.insert(mailParts)
		.values({ hash: sql.placeholder('hash'), content: sql.placeholder('content') })
		.onConflictDoNothing({ target: mailParts.hash })
		.prepare()
);

const readPart = preparedFor((db) =>
	db
		.select({ content: mailParts.content })
		.from(mailParts)
		.where(eq(mailParts.hash, sql.placeholder('hash')))
		.prepare()
);

/** Parts already stored, per connection: a new database (tests) has none of them. */
const hashes = new WeakMap<Db, Map<string, string>>();
/** Content by its hash: the same on any connection. */
const contents = new Map<string, string>();

/** The part's hash, storing the part the first time this process sees it (inside the freezing transaction). */
function reference(part: string): string {
	const handle = db();
	let known = hashes.get(handle);
	if (!known) hashes.set(handle, (known = new Map<string, string>()));
	let hash = known.get(part);
	if (!hash) {
		hash = sha256(part).slice(0, 32);
		storePart().run({ hash, content: part });
		if (known.size > 1000) known.clear();
		known.set(part, hash);
	}
	return `${OPEN}${hash}${CLOSE}`;
}

/** One occurrence of part in value replaced by ref (a part appears once in a mail's html and once in its text). */
function replaceOnce(value: string, part: string, ref: string): string {
	const at = value.indexOf(part);
	return at < 0 ? value : value.slice(0, at) + ref + value.slice(at + part.length);
}

export function freeze(mail: OutgoingMail, shared: readonly string[] = []): string {
	let { html, text } = mail;
	for (const part of shared) {
		if (part.length < MIN_PART) continue;
		const ref = reference(part);
		html = replaceOnce(html, part, ref);
		text = replaceOnce(text, part, ref);
	}
	return JSON.stringify({ ...mail, html, text });
}

function expand(value: string): string {
	if (!value.includes(OPEN)) return value;
	return value.replace(REFERENCE, (_, hash: string) => {
		let content = contents.get(hash);
		if (content === undefined) {
			const row = readPart().get({ hash });
			if (!row) throw new Error(`mail part ${hash} is missing`);
			content = row.content;
			contents.set(hash, content);
		}
		return content;
	});
}

export function thaw(payload: string | null): OutgoingMail {
	if (payload === null) throw new Error('a batched mail has no frozen payload');
	const mail = JSON.parse(payload) as OutgoingMail;
	return { ...mail, html: expand(mail.html), text: expand(mail.text) };
}
