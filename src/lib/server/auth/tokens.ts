import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db';
import { loginTokens } from '../db/schema';

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

/**
 * Creates a single-use sign-in token for email and returns it in clear, to be put in a link and forgotten.
 * `next` is a path on this site to return to after sign-in.
 */
export function createLoginToken(email: string, next: string | null, ttlMs = LOGIN_TOKEN_TTL_MS): string {
	const token = newToken();
	db()
		.insert(loginTokens)
		.values({ tokenHash: hashToken(token), email: normalizeEmail(email), next, expiresAt: Date.now() + ttlMs })
		.run();
	return token;
}
