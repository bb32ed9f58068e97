import { desc, eq } from 'drizzle-orm';
import { db } from '../db';
import { demoMailbox } from '../db/schema';

export interface MailboxEntry {
	id: number;
	to: string;
	subject: string;
	createdAt: number;
}

/** The demo mailbox, newest first. */
export function listMailbox(limit = 200): MailboxEntry[] {
	return db()
		.select({
			id: demoMailbox.id,
			to: demoMailbox.toEmail,
			subject: demoMailbox.subject,
			createdAt: demoMailbox.createdAt
		})
		.from(demoMailbox)
		.orderBy(desc(demoMailbox.id))
		.limit(limit)
		.all();
}

export function mailboxMessage(
	id: number
): (MailboxEntry & { html: string; text: string; headers: Record<string, string> }) | undefined {
	const row = db().select().from(demoMailbox).where(eq(demoMailbox.id, id)).get();
	if (!row) return undefined;
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
