import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { sha256 } from '../sha256';
import { preparedFor } from '../db/prepared';
import { loginTokens } from '../db/schema';
import { newSignInCode } from './sign-in-code';

export const LOGIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/** 256 random bits, URL-safe. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** What newToken() makes: 43 base64url characters. Anything else offered as a token or browser id is not looked up. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Tokens, session ids and browser secrets are stored only as this hash. */
export function hashToken(token: string): string {
	return sha256(token);
}

/** Normalizes an address the one way the store compares them: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

const insertRequest = preparedFor((db) =>
	db
		.insert(loginTokens)
		.values({
			tokenHash: sql.placeholder('tokenHash'),
			email: sql.placeholder('email'),
			next: sql.placeholder('next'),
			expiresAt: sql.placeholder('expiresAt'),
			browserHash: sql.placeholder('browserHash'),
			codeHash: sql.placeholder('codeHash')
		})
		.prepare()
);

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
	insertRequest().run({
		tokenHash: hashToken(token),
		email: normalizeEmail(email),
		next,
		expiresAt: now + ttlMs,
		browserHash,
		codeHash: code?.codeHash ?? null
	});
	return { token, code: code?.code ?? null };
}
