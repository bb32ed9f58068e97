/**
 * The email list with double opt-in. Every answer to a signup is the same whatever the address's state, so the
 * form tells nobody who is on the list; the confirmation mail goes out at most once an hour per address.
 */
import type { ConsentVersion, SignupFormName } from '../../consent';
import { hashToken, newToken, normalizeEmail } from '../auth/tokens';
import { writeTransaction } from '../db';
import { stmt } from '../db/statements';
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
}

/**
 * Records a signup and queues the confirmation mail. Returns whether a mail was queued; the caller answers the
 * same either way. A confirmed address is left as it is; a pending or unsubscribed one gets a new confirmation
 * (and its consent evidence is replaced by this signup's) unless one was queued within the hour.
 */
export function subscribe(rawEmail: string, name: string | null, evidence: SignupEvidence, now = Date.now()): boolean {
	const email = normalizeEmail(rawEmail);
	return writeTransaction(() => {
		const existing = stmt('select id, status, confirm_queued_at from subscribers where email = ?').get(email) as
			{ id: number; status: string; confirm_queued_at: number | null } | undefined;
		if (existing?.status === 'confirmed') return false;
		if (existing && (existing.confirm_queued_at ?? 0) > now - CONFIRM_RESEND_MS) return false;
		const values = [
			name,
			now,
			evidence.page,
			evidence.form,
			evidence.ip,
			evidence.userAgent,
			evidence.consentVersion,
			now
		];
		const id = existing
			? (stmt(
					`update subscribers set name = coalesce(?, name), consent_at = ?, consent_page = ?, consent_form = ?, consent_ip = ?,
					 consent_user_agent = ?, consent_text_version = ?, confirm_queued_at = ?, confirmed_at = null, confirmed_ip = null,
					 confirmed_user_agent = null where id = ?`
				).run(...values, existing.id),
				existing.id)
			: Number(
					stmt(
						`insert into subscribers (name, consent_at, consent_page, consent_form, consent_ip, consent_user_agent,
						 consent_text_version, confirm_queued_at, email) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`
					).run(...values, email).lastInsertRowid
				);
		queueMail({
			key: `subscribe-confirm:${id}:${now}`,
			template: 'subscribe-confirm',
			to: email,
			params: { subscriberId: id }
		});
		return true;
	});
}

/**
 * Called by the confirmation mail's template at send time: a fresh token whose hash replaces the previous one,
 * so only the newest link works. Undefined when the address has confirmed meanwhile.
 */
export function issueConfirmToken(email: string, now = Date.now()): string | undefined {
	const token = newToken();
	const changed = stmt(
		"update subscribers set confirm_token_hash = ?, confirm_token_expires_at = ? where email = ? and status != 'confirmed'"
	).run(hashToken(token), now + CONFIRM_TOKEN_TTL_MS, email).changes;
	return changed ? token : undefined;
}

/** Whether a confirmation link is still good (the GET page shows a button; only its POST confirms). */
export function confirmTokenIsValid(token: string | null, now = Date.now()): boolean {
	if (!token) return false;
	return (
		stmt('select 1 from subscribers where confirm_token_hash = ? and confirm_token_expires_at > ?').get(
			hashToken(token),
			now
		) !== undefined
	);
}

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
		const row = stmt(
			'select id, email, status from subscribers where confirm_token_hash = ? and confirm_token_expires_at > ?'
		).get(hashToken(token), now) as { id: number; email: string; status: string } | undefined;
		if (!row) return undefined;
		if (row.status !== 'confirmed') {
			stmt(
				"update subscribers set status = 'confirmed', confirmed_at = ?, confirmed_ip = ?, confirmed_user_agent = ?, unsubscribed_at = null where id = ?"
			).run(now, who.ip, who.userAgent, row.id);
			liftUnsubscribe(row.email);
		}
		startLeadSequence(row.email, now);
		return row.email;
	});
}

/** Unsubscribes an address from all marketing mail (the list and the student sequence), in one transaction. */
export function unsubscribe(email: string, how: string, now = Date.now()): void {
	writeTransaction(() => {
		stmt(
			"update subscribers set status = 'unsubscribed', unsubscribed_at = ? where email = ? and status != 'unsubscribed'"
		).run(now, email);
		suppress(email, 'unsubscribed', how);
	});
}
