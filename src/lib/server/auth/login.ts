import { randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { db, writeTransaction } from '../db';
import { loginTokens } from '../db/schema';
import { queueMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import { safeNext } from './next';
import { hitRateLimits, pruneRateLimitHits, type RateLimitResult } from './rate-limit';
import { hashToken, normalizeEmail } from './tokens';
import { findOrCreateUser } from './user';

const MINUTE_MS = 60 * 1000;
export const LINKS_PER_EMAIL = { limit: 5, windowMs: 15 * MINUTE_MS };
export const LINKS_PER_IP = { limit: 20, windowMs: 60 * MINUTE_MS };
/** Tokens are 43 base64url characters (see newToken). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Queues a sign-in link for any valid address, known or not: the answer must not tell them apart.
 * The token is minted when the mail is composed, so no usable secret waits in the outbox.
 * An off-site next is dropped here, before it is stored.
 */
export function requestLoginLink(email: string, next: string | null, ip: string, now = Date.now()): RateLimitResult {
	const address = normalizeEmail(email);
	const result = writeTransaction(() => {
		const limited = hitRateLimits(
			[
				{ bucket: `login-email:${address}`, ...LINKS_PER_EMAIL },
				{ bucket: `login-ip:${ip}`, ...LINKS_PER_IP }
			],
			now
		);
		if (!limited.allowed) return limited;
		queueMail({
			key: `login:${randomBytes(16).toString('hex')}`,
			template: 'login-link',
			to: address,
			params: { next: safeNext(next) }
		});
		return limited;
	});
	if (result.allowed) {
		pruneRateLimitHits('login-', LINKS_PER_IP.windowMs, now);
		db().delete(loginTokens).where(lt(loginTokens.expiresAt, now)).run();
		wakeSender();
	}
	return result;
}

/** Whether a link's token can still sign someone in. Reads only: opening the link spends nothing. */
export function loginTokenIsUsable(token: string, now = Date.now()): boolean {
	if (!TOKEN_SHAPE.test(token)) return false;
	const row = db()
		.select({ expiresAt: loginTokens.expiresAt })
		.from(loginTokens)
		.where(eq(loginTokens.tokenHash, hashToken(token)))
		.get();
	return row !== undefined && row.expiresAt > now;
}

/**
 * Spends a sign-in token: the one statement that reads it also deletes it, so of many concurrent
 * attempts exactly one gets the row. Returns the user to sign in (created on first sign-in) and where
 * to go next, or null for an unknown, used, expired or malformed token.
 */
export function redeemLoginToken(token: string, now = Date.now()): { userId: number; next: string | null } | null {
	if (!TOKEN_SHAPE.test(token)) return null;
	return writeTransaction(() => {
		const spent = db()
			.delete(loginTokens)
			.where(eq(loginTokens.tokenHash, hashToken(token)))
			.returning({ email: loginTokens.email, next: loginTokens.next, expiresAt: loginTokens.expiresAt })
			.get();
		if (!spent || spent.expiresAt <= now) return null;
		return { userId: findOrCreateUser(spent.email), next: safeNext(spent.next) };
	});
}
