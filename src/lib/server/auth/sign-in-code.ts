import { and, eq, gt, sql } from 'drizzle-orm';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { preparedFor } from '../db/prepared';
import { loginTokens } from '../db/schema';
import { storeSecret } from '../settings';

/** Five wrong codes end a request, its link included: a guesser gets five tries at a million codes. */
export const MAX_CODE_ATTEMPTS = 5;
const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';

/** A code as the mail shows it, in Bengali digits: "০৪২১৯৭" (Intl would group it and drop the leading zero). */
export function bengaliCode(code: string): string {
	return code.replace(/[0-9]/g, (d) => BENGALI_DIGITS[Number(d)]);
}

/** What was typed, as six Latin digits: Bengali digits and spaces (a code copied in groups) are accepted. */
export function normalizeSignInCode(raw: string): string | null {
	const code = raw
		.normalize('NFKC')
		.replace(/[\s\u200b-\u200d\u2060]/g, '')
		.replace(/[০-৯]/g, (d) => String(BENGALI_DIGITS.indexOf(d)));
	return /^[0-9]{6}$/.test(code) ? code : null;
}

/** A random key made once per store and kept in settings, apart from the sign-in rows. */
function codeSecret(): Buffer {
	return Buffer.from(
		storeSecret('sign-in-code-secret', () => randomBytes(32).toString('base64url')),
		'base64url'
	);
}

/**
 * A million codes are hashed in a second, so a plain SHA-256 of one hides nothing: the stored hash is an HMAC under
 * the store's own key, bound to the browser that asked, so a copy of the sign-in rows alone reveals no code.
 */
export function hashSignInCode(browserHash: string, code: string): string {
	return createHmac('sha256', codeSecret()).update(`sign-in-code\n${browserHash}\n${code}`).digest('hex');
}

const liveCodeExists = preparedFor((db) =>
	db
		.select({ one: sql<number>`1` })
		.from(loginTokens)
		.where(
			and(
				eq(loginTokens.browserHash, sql.placeholder('browserHash')),
				eq(loginTokens.codeHash, sql.placeholder('codeHash')),
				gt(loginTokens.expiresAt, sql.placeholder('now'))
			)
		)
		.prepare()
);

/** A new code for a request of this browser, never one of its other live requests' codes: a code names one request. */
export function newSignInCode(browserHash: string, now = Date.now()): { code: string; codeHash: string } {
	for (;;) {
		const code = String(randomInt(1_000_000)).padStart(6, '0');
		const codeHash = hashSignInCode(browserHash, code);
		if (!liveCodeExists().get({ browserHash, codeHash, now })) return { code, codeHash };
	}
}
