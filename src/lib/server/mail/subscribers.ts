/**
 * The email list with double opt-in. Every answer to a signup is the same whatever the address's state, so the
 * form tells nobody who is on the list; the confirmation mail goes out at most once an hour per address.
 */
import { and, eq, gt, ne, sql } from 'drizzle-orm';
import type { ConsentVersion, SignupFormName } from '../../consent';
import { hashToken, newToken, normalizeEmail } from '../auth/tokens';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { subscribers } from '../db/schema';
import { queueMail } from './outbox';
import { startLeadSequence } from './sequences';
import { liftUnsubscribe, suppress } from './suppressions';

export const CONFIRM_RESEND_MS = 60 * 60 * 1000;
export const CONFIRM_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface SignupEvidence {
	/** The path of the page the form was on, e.g. /lessons/introduction. */
	page: string;
	form: SignupFormName;
	ip: string | null;
	userAgent: string | null;
	consentVersion: ConsentVersion;
	/** The signer's entry source (analytics/visits.ts), kept from the first signup: the funnel counts by it. */
	source: string;
}

const p = sql.placeholder;

const bySubscriberEmail = preparedFor((db) =>
	db
		.select({
			id: subscribers.id,
			name: subscribers.name,
			status: subscribers.status,
			confirmQueuedAt: subscribers.confirmQueuedAt
		})
		.from(subscribers)
		.where(eq(subscribers.email, p('email')))
		.prepare()
);

/** The subscriber with this address (their name and where they stand), or undefined. */
export function findSubscriber(
	email: string
): { id: number; name: string | null; status: 'pending' | 'confirmed' | 'unsubscribed' } | undefined {
	const row = bySubscriberEmail().get({ email });
	return row && { id: row.id, name: row.name, status: row.status };
}

/** This signup's consent evidence (replacing an earlier signup's), and its confirmation queued now. */
const consent = {
	consentAt: sql`${p('now')}`,
	consentPage: sql`${p('page')}`,
	consentForm: sql`${p('form')}`,
	consentIp: sql`${p('ip')}`,
	consentUserAgent: sql`${p('userAgent')}`,
	consentTextVersion: sql`${p('consentVersion')}`,
	confirmQueuedAt: sql`${p('now')}`
};

const renewSignup = preparedFor((db) =>
	db
		.update(subscribers)
		.set({
			...consent,
			name: sql`coalesce(${p('name')}, ${subscribers.name})`,
			confirmedAt: null,
			confirmedIp: null,
			confirmedUserAgent: null
		})
		.where(eq(subscribers.id, p('id')))
		.prepare()
);

const insertSignup = preparedFor((db) =>
	db
		.insert(subscribers)
		.values({ ...consent, email: p('email'), name: p('name'), source: p('source') })
		.returning({ id: subscribers.id })
		.prepare()
);

/**
 * Records a signup and queues the confirmation mail. Returns whether a mail was queued; the caller answers the
 * same either way. A confirmed address is left as it is; a pending or unsubscribed one gets a new confirmation
 * (and its consent evidence is replaced by this signup's) unless one was queued within the hour.
 */
export function subscribe(rawEmail: string, name: string | null, evidence: SignupEvidence, now = Date.now()): boolean {
	const email = normalizeEmail(rawEmail);
	return writeTransaction(() => {
		const existing = bySubscriberEmail().get({ email });
		if (existing?.status === 'confirmed') return false;
		if (existing && (existing.confirmQueuedAt ?? 0) > now - CONFIRM_RESEND_MS) return false;
		const values = { name, now, ...evidence };
		let id = existing?.id;
		if (id !== undefined) renewSignup().run({ ...values, id });
		else id = insertSignup().get({ ...values, email })?.id;
		if (id === undefined) throw new Error(`signup of ${email} was not stored`);
		queueMail({
			key: `subscribe-confirm:${id}:${now}`,
			template: 'subscribe-confirm',
			to: email,
			params: { subscriberId: id }
		});
		return true;
	});
}

const setConfirmToken = preparedFor((db) =>
	db
		.update(subscribers)
		.set({ confirmTokenHash: sql`${p('hash')}`, confirmTokenExpiresAt: sql`${p('expiresAt')}` })
		.where(and(eq(subscribers.email, p('email')), ne(subscribers.status, 'confirmed')))
		.prepare()
);

/**
 * Called when the confirmation mail is composed: a fresh token whose hash replaces the previous one, so only the
 * newest link works. Undefined when the address has confirmed meanwhile.
 */
export function issueConfirmToken(email: string, now = Date.now()): string | undefined {
	const token = newToken();
	const changed = setConfirmToken().run({
		hash: hashToken(token),
		expiresAt: now + CONFIRM_TOKEN_TTL_MS,
		email
	}).changes;
	return changed ? token : undefined;
}

const byConfirmToken = preparedFor((db) =>
	db
		.select({ id: subscribers.id, email: subscribers.email, status: subscribers.status })
		.from(subscribers)
		.where(and(eq(subscribers.confirmTokenHash, p('hash')), gt(subscribers.confirmTokenExpiresAt, p('now'))))
		.prepare()
);

/** Whether a confirmation link is still good (the GET page shows a button; only its POST confirms). */
export function confirmTokenIsValid(token: string | null, now = Date.now()): boolean {
	if (!token) return false;
	return byConfirmToken().get({ hash: hashToken(token), now }) !== undefined;
}

const markConfirmed = preparedFor((db) =>
	db
		.update(subscribers)
		.set({
			status: 'confirmed',
			confirmedAt: sql`${p('now')}`,
			confirmedIp: sql`${p('ip')}`,
			confirmedUserAgent: sql`${p('userAgent')}`,
			unsubscribedAt: null
		})
		.where(eq(subscribers.id, p('id')))
		.prepare()
);

/**
 * Confirms the subscription a link was sent for and starts the lead sequence, in one transaction. Confirming
 * twice is harmless. Returns the address, or undefined for an unknown or expired link.
 */
export function confirmSubscription(
	token: string | null,
	who: { ip: string | null; userAgent: string | null },
	now = Date.now()
): string | undefined {
	if (!token) return undefined;
	return writeTransaction(() => {
		const row = byConfirmToken().get({ hash: hashToken(token), now });
		if (!row) return undefined;
		if (row.status !== 'confirmed') {
			markConfirmed().run({ now, ip: who.ip, userAgent: who.userAgent, id: row.id });
			liftUnsubscribe(row.email);
		}
		startLeadSequence(row.email, now);
		return row.email;
	});
}

const markUnsubscribed = preparedFor((db) =>
	db
		.update(subscribers)
		.set({ status: 'unsubscribed', unsubscribedAt: sql`${p('now')}` })
		.where(and(eq(subscribers.email, p('email')), ne(subscribers.status, 'unsubscribed')))
		.prepare()
);

/** Unsubscribes an address from all marketing mail (the list and the student sequence), in one transaction. */
export function unsubscribe(email: string, how: string, now = Date.now()): void {
	writeTransaction(() => {
		markUnsubscribed().run({ now, email });
		suppress(email, 'unsubscribed', how);
	});
}

const markResubscribed = preparedFor((db) =>
	db
		.update(subscribers)
		.set({
			status: sql`case when ${subscribers.confirmedAt} is null then 'pending' else 'confirmed' end`,
			unsubscribedAt: null
		})
		.where(and(eq(subscribers.email, p('email')), eq(subscribers.status, 'unsubscribed')))
		.prepare()
);

/** The seller lifted their own suppression: the address is on the list again as it stood before (confirmed or not). */
export function undoSellerUnsubscribe(email: string): void {
	markResubscribed().run({ email });
}
