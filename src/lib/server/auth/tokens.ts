import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db';
import { loginTokens } from '../db/schema';
import { newSignInCode } from './sign-in-code';

export const LOGIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/** 256 random bits, URL-safe. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** Tokens and session ids are stored only as this hash. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Normalizes an address the one way the store compares them: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface LoginTokenOptions {
	ttlMs?: number;
	/** SHA-256 of the sign-in cookie of the browser that asked: with it the request also gets a code for that browser. */
	browserHash?: string | null;
}

/**
 * Creates a single-use sign-in request for email and returns its token (and code, when a browser asked) in clear,
 * to be put in a mail and forgotten. `next` is a path on this site to return to after sign-in.
 */
export function createLoginToken(
	email: string,
	next: string | null,
	{ ttlMs = LOGIN_TOKEN_TTL_MS, browserHash = null }: LoginTokenOptions = {}
): { token: string; code: string | null } {
	const token = newToken();
	const now = Date.now();
	const code = browserHash ? newSignInCode(browserHash, now) : null;
	db()
		.insert(loginTokens)
		.values({
			tokenHash: hashToken(token),
			email: normalizeEmail(email),
			next,
			expiresAt: now + ttlMs,
			browserHash,
			codeHash: code?.codeHash ?? null
		})
		.run();
	return { token, code: code?.code ?? null };
}
