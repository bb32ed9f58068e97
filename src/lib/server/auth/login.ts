import type { Cookies } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { and, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import { cookieOptions } from '../cookies';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { loginTokens } from '../db/schema';
import { queueMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import { hitRateLimits, type RateLimitResult } from '../rate-limit';
import { safeNext } from './next';
import { hashSignInCode, MAX_CODE_ATTEMPTS } from './sign-in-code';
import { hashToken, newToken, normalizeEmail, TOKEN_SHAPE } from './tokens';
import { findOrCreateUser } from './user';

const MINUTE_MS = 60 * 1000;
export const LINKS_PER_EMAIL = { limit: 5, windowMs: 15 * MINUTE_MS };
export const LINKS_PER_IP = { limit: 20, windowMs: 60 * MINUTE_MS };

/**
 * The HttpOnly cookie that ties a browser to the sign-in requests it made (at POST /login, or at the checkout whose
 * purchase mail carries a code). Only its SHA-256 is stored: a code works only in the browser that holds it.
 */
export const SIGN_IN_BROWSER_COOKIE = 'sign_in_browser';
/** As long as the longest sign-in link (the purchase mail's, a day). */
const SIGN_IN_BROWSER_MAX_AGE_S = 24 * 60 * 60;

const forgetExpiredRequests = preparedFor((db) =>
	db
		.delete(loginTokens)
		.where(lt(loginTokens.expiresAt, sql.placeholder('now')))
		.prepare()
);

const findRequest = preparedFor((db) =>
	db
		.select({ expiresAt: loginTokens.expiresAt, codeAttempts: loginTokens.codeAttempts })
		.from(loginTokens)
		.where(eq(loginTokens.tokenHash, sql.placeholder('tokenHash')))
		.prepare()
);

// The one statement that spends a request by its link: of concurrent attempts exactly one gets the row.
const spendByToken = preparedFor((db) =>
	db
		.delete(loginTokens)
		.where(eq(loginTokens.tokenHash, sql.placeholder('tokenHash')))
		.returning({
			email: loginTokens.email,
			next: loginTokens.next,
			expiresAt: loginTokens.expiresAt,
			codeAttempts: loginTokens.codeAttempts
		})
		.prepare()
);

/** This browser's sign-in id from its cookie, or a new one; setSignInBrowserCookie keeps it once a request is bound. */
export function signInBrowserId(cookies: Cookies): string {
	const current = cookies.get(SIGN_IN_BROWSER_COOKIE);
	return current && TOKEN_SHAPE.test(current) ? current : newToken();
}

export function setSignInBrowserCookie(cookies: Cookies, browserId: string): void {
	cookies.set(SIGN_IN_BROWSER_COOKIE, browserId, cookieOptions('/login', SIGN_IN_BROWSER_MAX_AGE_S));
}

/**
 * Queues a sign-in link for any valid address, known or not: the answer must not tell them apart.
 * The token (and the code for browserId's browser) is minted when the mail is composed, so no usable secret waits
 * in the outbox: only the hash of the browser id. An off-site next is dropped here, before it is stored.
 */
export function requestLoginLink(
	email: string,
	next: string | null,
	ip: string,
	browserId: string,
	now = Date.now()
): RateLimitResult {
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
			params: { next: safeNext(next), browser: hashToken(browserId) }
		});
		return limited;
	});
	if (result.allowed) {
		forgetExpiredRequests().run({ now });
		wakeSender();
	}
	return result;
}

/** Whether a link's token can still sign someone in. Reads only: opening the link spends nothing. */
export function loginTokenIsUsable(token: string, now = Date.now()): boolean {
	if (!TOKEN_SHAPE.test(token)) return false;
	const row = findRequest().get({ tokenHash: hashToken(token) });
	return row !== undefined && row.expiresAt > now && row.codeAttempts < MAX_CODE_ATTEMPTS;
}

/**
 * Spends a sign-in token: the one statement that reads it also deletes it, so of many concurrent
 * attempts exactly one gets the row. Returns the user to sign in (created on first sign-in) and where
 * to go next, or null for an unknown, used, expired or malformed token, or one whose code was guessed at too often.
 */
export function redeemLoginToken(token: string, now = Date.now()): { userId: number; next: string | null } | null {
	if (!TOKEN_SHAPE.test(token)) return null;
	return writeTransaction(() => {
		const spent = spendByToken().get({ tokenHash: hashToken(token) });
		if (!spent || spent.expiresAt <= now || spent.codeAttempts >= MAX_CODE_ATTEMPTS) return null;
		return { userId: findOrCreateUser(spent.email), next: safeNext(spent.next) };
	});
}

// This browser's live requests that a code may still spend.
const byBrowser = (...more: SQL[]) =>
	and(
		eq(loginTokens.browserHash, sql.placeholder('browserHash')),
		gt(loginTokens.expiresAt, sql.placeholder('now')),
		...more
	);

// The one statement that spends a request by its code: the row its link would spend, so one use ends both.
const spendByCode = preparedFor((db) =>
	db
		.delete(loginTokens)
		.where(
			byBrowser(eq(loginTokens.codeHash, sql.placeholder('codeHash')), lt(loginTokens.codeAttempts, MAX_CODE_ATTEMPTS))
		)
		.returning({ email: loginTokens.email, next: loginTokens.next })
		.prepare()
);

// A wrong code counts against every live request of the browser: it was a guess at each of them.
const countWrongCode = preparedFor((db) =>
	db
		.update(loginTokens)
		.set({ codeAttempts: sql`${loginTokens.codeAttempts} + 1` })
		.where(byBrowser(sql`${loginTokens.codeHash} is not null`, lt(loginTokens.codeAttempts, MAX_CODE_ATTEMPTS)))
		.returning({ attempts: loginTokens.codeAttempts })
		.prepare()
);

const lockedRequest = preparedFor((db) =>
	db
		.select({ one: sql<number>`1` })
		.from(loginTokens)
		.where(byBrowser(gte(loginTokens.codeAttempts, MAX_CODE_ATTEMPTS)))
		.prepare()
);

const newestPending = preparedFor((db) =>
	db
		.select({ email: loginTokens.email })
		.from(loginTokens)
		.where(byBrowser(sql`${loginTokens.codeHash} is not null`, lt(loginTokens.codeAttempts, MAX_CODE_ATTEMPTS)))
		.orderBy(sql`${loginTokens.createdAt} desc`)
		.limit(1)
		.prepare()
);

/** The address of this browser's newest request that a code can still sign in, or null. Reads only. */
export function pendingSignIn(browserId: string | undefined, now = Date.now()): string | null {
	if (!browserId || !TOKEN_SHAPE.test(browserId)) return null;
	return newestPending().get({ browserHash: hashToken(browserId), now })?.email ?? null;
}

export type CodeResult =
	| { status: 'signed-in'; userId: number; next: string | null }
	/** Not the code of any of this browser's requests; `attemptsLeft` more tries before they end. */
	| { status: 'wrong'; attemptsLeft: number }
	/** Five wrong codes: the request is over, a right code and its link included. */
	| { status: 'locked' }
	/** Nothing here to sign in with: expired, already used (by its code or its link), or never asked for here. */
	| { status: 'expired' };

/**
 * Signs in with a code (six Latin digits) typed in the browser that asked. One write transaction: of concurrent
 * submissions of the right code exactly one spends the request, and wrong codes are counted without a race.
 */
export function redeemSignInCode(browserId: string, code: string, now = Date.now()): CodeResult {
	if (!TOKEN_SHAPE.test(browserId)) return { status: 'expired' };
	const browserHash = hashToken(browserId);
	const codeHash = hashSignInCode(browserHash, code);
	return writeTransaction((): CodeResult => {
		const spent = spendByCode().get({ browserHash, codeHash, now });
		if (spent) return { status: 'signed-in', userId: findOrCreateUser(spent.email), next: safeNext(spent.next) };
		const counted = countWrongCode().all({ browserHash, now });
		if (counted.length > 0) {
			const attemptsLeft = MAX_CODE_ATTEMPTS - Math.min(...counted.map((r) => r.attempts));
			return attemptsLeft > 0 ? { status: 'wrong', attemptsLeft } : { status: 'locked' };
		}
		return lockedRequest().get({ browserHash, now }) ? { status: 'locked' } : { status: 'expired' };
	});
}
