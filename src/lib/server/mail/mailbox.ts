import type { Cookies } from '@sveltejs/kit';
import { and, desc, eq, sql } from 'drizzle-orm';
import { hashToken, newToken, normalizeEmail, TOKEN_SHAPE } from '../auth/tokens';
import { cookieOptions } from '../cookies';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { demoMailbox, demoMailboxOwners } from '../db/schema';
import { config } from '../env';
import type { OutgoingMail } from './transport';

export interface MailboxEntry {
	id: number;
	to: string;
	subject: string;
	createdAt: number;
}

/** The HttpOnly cookie that tells a public demo's mailbox (DEMO_MODE=1) which browser is reading it. */
export const MAILBOX_COOKIE = 'demo_mailbox';
const COOKIE_DAYS = 30;

/**
 * Whose mails the demo mailbox shows: every mail on the operator's own machine; on a public demo (DEMO_MODE=1)
 * only the mails to addresses this browser gave first, by the hash of its cookie (null: it gave none).
 */
export type MailboxViewer = { everyone: true } | { everyone: false; browserHash: string | null };

export function mailboxViewer(cookies: Cookies): MailboxViewer {
	if (!config().demoMode) return { everyone: true };
	const secret = cookies.get(MAILBOX_COOKIE);
	return { everyone: false, browserHash: secret ? hashToken(secret) : null };
}

const p = sql.placeholder;

const insertMail = preparedFor((db) =>
	db
		.insert(demoMailbox)
		.values({
			toEmail: p('to'),
			subject: p('subject'),
			html: p('html'),
			text: p('text'),
			headers: p('headers'),
			idempotencyKey: p('key')
		})
		// A no-op update, so that RETURNING also answers for a mail already delivered (a batch sent again).
		.onConflictDoUpdate({ target: demoMailbox.idempotencyKey, set: { idempotencyKey: sql`excluded.idempotency_key` } })
		.returning({ id: demoMailbox.id })
		.prepare()
);

/**
 * Demo mode's delivery: a batch's mails land in the demo mailbox once per outbox key, in one commit (one fsync for
 * the batch, not one per mail); returns each mail's id there, in order.
 */
export function deliverToMailbox(mails: OutgoingMail[]): number[] {
	return writeTransaction(() =>
		mails.map((mail) => {
			const headers = { From: mail.from, To: mail.to, Subject: mail.subject, ...mail.headers };
			const row = insertMail().get({
				to: mail.to,
				subject: mail.subject,
				html: mail.html,
				text: mail.text,
				headers: JSON.stringify(headers),
				key: mail.key
			});
			if (!row) throw new Error(`demo mailbox: ${mail.key} was not stored`);
			return row.id;
		})
	);
}

const anyMailTo = preparedFor((db) =>
	db
		.select({ id: demoMailbox.id })
		.from(demoMailbox)
		.where(eq(demoMailbox.toEmail, p('address')))
		.limit(1)
		.prepare()
);

const claimAddress = preparedFor((db) =>
	db
		.insert(demoMailboxOwners)
		.values({ email: p('address'), browserHash: p('browserHash') })
		.onConflictDoNothing()
		.prepare()
);

/**
 * DEMO_MODE=1: the address a visitor types in this browser (sign-in, sign-up, demo checkout) becomes theirs in the
 * demo mailbox, unless another browser gave it first, mail already went to it, or it is an admin's.
 */
export function rememberDemoAddress(cookies: Cookies, email: string): void {
	const { demoMode, adminEmails } = config();
	if (!demoMode) return;
	let secret = cookies.get(MAILBOX_COOKIE);
	if (!secret || !TOKEN_SHAPE.test(secret)) secret = newToken();
	cookies.set(MAILBOX_COOKIE, secret, cookieOptions('/', COOKIE_DAYS * 24 * 60 * 60));
	const address = normalizeEmail(email);
	if (adminEmails.has(address)) return;
	writeTransaction(() => {
		// Mail sent before anyone owned the address (before DEMO_MODE, or to an admin since demoted) stays unowned.
		if (anyMailTo().get({ address })) return;
		claimAddress().run({ address, browserHash: hashToken(secret) });
	});
}

const entryColumns = {
	id: demoMailbox.id,
	to: demoMailbox.toEmail,
	subject: demoMailbox.subject,
	createdAt: demoMailbox.createdAt
};

const everyMail = preparedFor((db) =>
	db.select(entryColumns).from(demoMailbox).orderBy(desc(demoMailbox.id)).limit(p('limit')).prepare()
);

const mailOfBrowser = preparedFor((db) =>
	db
		.select(entryColumns)
		.from(demoMailbox)
		.innerJoin(demoMailboxOwners, eq(demoMailboxOwners.email, demoMailbox.toEmail))
		.where(eq(demoMailboxOwners.browserHash, p('browserHash')))
		.orderBy(desc(demoMailbox.id))
		.limit(p('limit'))
		.prepare()
);

/** The demo mailbox as viewer may see it, newest first. */
export function listMailbox(viewer: MailboxViewer, limit = 200): MailboxEntry[] {
	if (viewer.everyone) return everyMail().all({ limit });
	if (!viewer.browserHash) return [];
	const { adminEmails } = config();
	return mailOfBrowser()
		.all({ browserHash: viewer.browserHash, limit })
		.filter((mail) => !adminEmails.has(mail.to));
}

const ownerOf = preparedFor((db) =>
	db
		.select({ email: demoMailboxOwners.email })
		.from(demoMailboxOwners)
		.where(and(eq(demoMailboxOwners.email, p('to')), eq(demoMailboxOwners.browserHash, p('browserHash'))))
		.prepare()
);

function mayRead(viewer: MailboxViewer, to: string): boolean {
	if (viewer.everyone) return true;
	if (!viewer.browserHash || config().adminEmails.has(to)) return false;
	return ownerOf().get({ to, browserHash: viewer.browserHash }) !== undefined;
}

const mailById = preparedFor((db) =>
	db
		.select()
		.from(demoMailbox)
		.where(eq(demoMailbox.id, p('id')))
		.prepare()
);

/** One mail, or undefined when it does not exist or viewer may not read it (the two look the same). */
export function mailboxMessage(
	id: number,
	viewer: MailboxViewer
): (MailboxEntry & { html: string; text: string; headers: Record<string, string> }) | undefined {
	const row = mailById().get({ id });
	if (!row || !mayRead(viewer, row.toEmail)) return undefined;
	return {
		id: row.id,
		to: row.toEmail,
		subject: row.subject,
		createdAt: row.createdAt,
		html: row.html,
		text: row.text,
		headers: JSON.parse(row.headers) as Record<string, string>
	};
}
