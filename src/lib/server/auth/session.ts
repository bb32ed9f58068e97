import type { Cookies } from '@sveltejs/kit';
import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db';
import { sessions } from '../db/schema';
import { config } from '../env';

const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** Starts a 30-day session for userId in this browser; only a hash of the session id is stored. */
export function signInUser(cookies: Cookies, userId: number): void {
	const id = randomBytes(32).toString('base64url');
	const idHash = createHash('sha256').update(id).digest('hex');
	db()
		.insert(sessions)
		.values({ idHash, userId, expiresAt: Date.now() + THIRTY_DAYS * 1000 })
		.run();
	cookies.set('session', id, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: config().origin.startsWith('https:'),
		maxAge: THIRTY_DAYS
	});
}
