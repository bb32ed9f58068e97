import { and, eq, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { suppressions } from '../db/schema';
import { setAsideMailsTo } from './outbox';
import { stopRunsOfAddress } from './sequences';

export type SuppressionReason = (typeof suppressions.$inferSelect)['reason'];

const p = sql.placeholder;

const reasonsOf = preparedFor((db) =>
	db
		.select({ reason: suppressions.reason })
		.from(suppressions)
		.where(eq(suppressions.email, p('email')))
		.prepare()
);

/**
 * Why mail to this address must not go out, or undefined. An unsubscribe stops marketing only; a bounce or a
 * complaint stops every mail, transactional ones (sign-in links, receipts) included.
 */
export function blockedReason(email: string, marketing: boolean): SuppressionReason | undefined {
	return reasonsOf()
		.all({ email })
		.find((r) => marketing || r.reason !== 'unsubscribed')?.reason;
}

const insertSuppression = preparedFor((db) =>
	db
		.insert(suppressions)
		.values({ email: p('email'), reason: p('reason'), detail: p('detail'), createdAt: p('now') })
		.onConflictDoNothing()
		.prepare()
);

/**
 * Suppresses an address for a reason, stops its sequences and sets aside what is queued for it and not yet in a
 * batch. Returns false when it was already suppressed for that reason: a repeated event changes nothing.
 * Call it inside the transaction of the event (a webhook, an unsubscribe).
 */
export function suppress(email: string, reason: SuppressionReason, detail: string): boolean {
	const now = Date.now();
	if (!insertSuppression().run({ email, reason, detail, now }).changes) return false;
	stopRunsOfAddress(email, reason, now);
	setAsideMailsTo(email, reason);
	return true;
}

const deleteUnsubscribe = preparedFor((db) =>
	db
		.delete(suppressions)
		.where(and(eq(suppressions.email, p('email')), eq(suppressions.reason, 'unsubscribed')))
		.prepare()
);

/** Lifts an unsubscribe (the address confirmed the list again); bounces and complaints stay. */
export function liftUnsubscribe(email: string): void {
	deleteUnsubscribe().run({ email });
}

const everyReasonOf = preparedFor((db) =>
	db
		.select({ reason: suppressions.reason, detail: suppressions.detail })
		.from(suppressions)
		.where(eq(suppressions.email, p('email')))
		.prepare()
);

/** The address's suppressions with their detail (who or what caused each), for the seller's desk. */
export function suppressionsOf(email: string): { reason: SuppressionReason; detail: string | null }[] {
	return everyReasonOf().all({ email });
}

const deleteSuppression = preparedFor((db) =>
	db
		.delete(suppressions)
		.where(and(eq(suppressions.email, p('email')), eq(suppressions.reason, p('reason'))))
		.prepare()
);

/** Lifts one suppression of an address (the seller's decision); mails set aside stay set aside. */
export function liftSuppression(email: string, reason: SuppressionReason): void {
	deleteSuppression().run({ email, reason });
}
