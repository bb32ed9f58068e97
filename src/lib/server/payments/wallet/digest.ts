/**
 * The seller's daily digest of wallet claims still waiting: claims are the seller's to-do list, so a waiting one
 * must not be forgotten.
 */
import { count, eq, sql } from 'drizzle-orm';
import { course } from '../../course';
import { preparedFor } from '../../db/prepared';
import { localDay } from '../../drip';
import { walletClaims } from '../../db/schema';
import { config } from '../../env';
import { queueMail } from '../../mail/outbox';

/** A claim this old without a decision is worth a mail; younger ones are usually decided within the hour. */
const DIGEST_AFTER_MS = 6 * 60 * 60 * 1000;

const waiting = preparedFor((db) =>
	db
		.select({ n: count(), oldest: sql<number | null>`min(${walletClaims.createdAt})` })
		.from(walletClaims)
		.where(eq(walletClaims.status, 'pending'))
		.prepare()
);

/** Queues today's digest to each admin while a claim has waited for hours; the outbox key makes it once a day. */
export function queueWaitingDigest(now = Date.now()): void {
	const admins = config().adminEmails;
	if (!admins.size) return;
	const { n, oldest } = waiting().get() ?? { n: 0, oldest: null };
	if (!n || oldest === null || now - oldest < DIGEST_AFTER_MS) return;
	// The day in the course's timezone (2026-12-01) keys the digest, so it goes once a day.
	const day = localDay(course().timezone, now);
	for (const to of admins)
		queueMail({ key: `wallet-digest:${day}:${to}`, template: 'wallet-digest', to, params: { waiting: n } });
}
