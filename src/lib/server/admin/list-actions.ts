/** What the seller can change about the list from the desk; each change is written with its audit entry. */
import { recordAudit } from '../audit/log';
import { writeTransaction } from '../db';
import { findSubscriber, undoSellerUnsubscribe, unsubscribe } from '../mail/subscribers';
import { retryFailedMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import { stopSequencesOf } from '../mail/sequences';
import { liftSuppression, suppressionsOf } from '../mail/suppressions';

export type ListActionResult = 'done' | 'unchanged' | 'not-found' | 'own-unsubscribe';

/** The mark of a suppression the seller made, so that only those (and bounces, complaints) can be lifted here. */
const SELLER = 'seller: ';

/** The address as the audit log keeps it: its list status and its suppressions. */
function standing(email: string): Record<string, unknown> {
	return {
		status: findSubscriber(email)?.status ?? null,
		suppressed: suppressionsOf(email).map((s) => s.reason)
	};
}

/** Puts one failed mail back in the queue and wakes the sender. */
export function retryMail(id: number, actor: string): ListActionResult {
	const result = writeTransaction((): ListActionResult => {
		const mail = retryFailedMail(id);
		if (!mail) return 'not-found';
		recordAudit({
			actor,
			action: 'retry-mail',
			subjectType: 'mail',
			subjectId: id,
			before: { status: 'failed', error: mail.error },
			after: { status: 'pending', to: mail.to, template: mail.template }
		});
		return 'done';
	});
	if (result === 'done') wakeSender();
	return result;
}

/** Stops every sequence running for an address, with what they have not sent. */
export function stopSequences(email: string, reason: string, actor: string): ListActionResult {
	return writeTransaction(() => {
		const stopped = stopSequencesOf(email, `${SELLER}${reason}`);
		if (!stopped.length) return 'unchanged';
		recordAudit({
			actor,
			action: 'stop-sequence',
			subjectType: 'address',
			subjectId: email,
			before: { running: stopped },
			after: { running: [] },
			reason
		});
		return 'done';
	});
}

/** No marketing mail to the address any more: it leaves the list and its sequences stop, as an unsubscribe does. */
export function suppressAddress(email: string, reason: string, actor: string): ListActionResult {
	return writeTransaction(() => {
		const before = standing(email);
		if ((before.suppressed as string[]).includes('unsubscribed') && before.status !== 'confirmed') return 'unchanged';
		unsubscribe(email, `${SELLER}${reason}`);
		recordAudit({
			actor,
			action: 'suppress',
			subjectType: 'address',
			subjectId: email,
			before,
			after: standing(email),
			reason
		});
		return 'done';
	});
}

/**
 * Lifts the seller's own suppression of an address, and a bounce or complaint (the mailbox works again). An
 * address that unsubscribed itself stays off the list: only its owner can join again.
 */
export function unsuppressAddress(email: string, reason: string, actor: string): ListActionResult {
	return writeTransaction(() => {
		const rows = suppressionsOf(email);
		if (!rows.length) return findSubscriber(email) ? 'unchanged' : 'not-found';
		const liftable = rows.filter((r) => r.reason !== 'unsubscribed' || r.detail?.startsWith(SELLER));
		if (!liftable.length) return 'own-unsubscribe';
		const before = standing(email);
		for (const r of liftable) liftSuppression(email, r.reason);
		if (liftable.some((r) => r.reason === 'unsubscribed')) undoSellerUnsubscribe(email);
		recordAudit({
			actor,
			action: 'unsuppress',
			subjectType: 'address',
			subjectId: email,
			before,
			after: standing(email),
			reason
		});
		return 'done';
	});
}
