import type { Cookies } from '@sveltejs/kit';
import { and, desc, eq } from 'drizzle-orm';
import { hashToken, newToken, normalizeEmail } from '../auth/tokens';
import { db, writeTransaction } from '../db';
import { demoMailbox, demoMailboxOwners } from '../db/schema';
import { config } from '../env';

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

/**
 * DEMO_MODE=1: the address a visitor types in this browser (sign-in, sign-up, demo checkout) becomes theirs in the
 * demo mailbox, unless another browser gave it first, mail already went to it, or it is an admin's.
 */
export function rememberDemoAddress(cookies: Cookies, email: string): void {
	const { demoMode, origin, adminEmails } = config();
	if (!demoMode) return;
	let secret = cookies.get(MAILBOX_COOKIE);
	if (!secret || !/^[\w-]{43}$/.test(secret)) secret = newToken();
	cookies.set(MAILBOX_COOKIE, secret, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: origin.startsWith('https:'),
		maxAge: COOKIE_DAYS * 24 * 60 * 60
	});
	const address = normalizeEmail(email);
	if (adminEmails.has(address)) return;
	writeTransaction(() => {
		// Mail sent before anyone owned the address (before DEMO_MODE, or to an admin since demoted) stays unowned.
		const mailed = db()
			.select({ id: demoMailbox.id })
			.from(demoMailbox)
			.where(eq(demoMailbox.toEmail, address))
			.limit(1)
			.get();
		if (mailed) return;
		db()
			.insert(demoMailboxOwners)
			.values({ email: address, browserHash: hashToken(secret) })
			.onConflictDoNothing()
			.run();
	});
}

const entryColumns = {
	id: demoMailbox.id,
	to: demoMailbox.toEmail,
	subject: demoMailbox.subject,
	createdAt: demoMailbox.createdAt
};

/** The demo mailbox as viewer may see it, newest first. */
export function listMailbox(viewer: MailboxViewer, limit = 200): MailboxEntry[] {
	if (viewer.everyone) {
		return db().select(entryColumns).from(demoMailbox).orderBy(desc(demoMailbox.id)).limit(limit).all();
	}
	if (!viewer.browserHash) return [];
	const { adminEmails } = config();
	return db()
		.select(entryColumns)
		.from(demoMailbox)
		.innerJoin(demoMailboxOwners, eq(demoMailboxOwners.email, demoMailbox.toEmail))
		.where(eq(demoMailboxOwners.browserHash, viewer.browserHash))
		.orderBy(desc(demoMailbox.id))
		.limit(limit)
		.all()
		.filter((mail) => !adminEmails.has(mail.to));
}

function mayRead(viewer: MailboxViewer, to: string): boolean {
	if (viewer.everyone) return true;
	if (!viewer.browserHash || config().adminEmails.has(to)) return false;
	const owner = db()
		.select({ email: demoMailboxOwners.email })
		.from(demoMailboxOwners)
		.where(and(eq(demoMailboxOwners.email, to), eq(demoMailboxOwners.browserHash, viewer.browserHash)))
		.get();
	return owner !== undefined;
}

/** One mail, or undefined when it does not exist or viewer may not read it (the two look the same). */
export function mailboxMessage(
	id: number,
	viewer: MailboxViewer
): (MailboxEntry & { html: string; text: string; headers: Record<string, string> }) | undefined {
	const row = db().select().from(demoMailbox).where(eq(demoMailbox.id, id)).get();
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
