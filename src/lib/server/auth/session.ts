import type { Cookies } from '@sveltejs/kit';
import { eq, lt, sql } from 'drizzle-orm';
import { cookieOptions } from '../cookies';
import { preparedFor } from '../db/prepared';
import { sessions, users } from '../db/schema';
import { hashToken, newToken, TOKEN_SHAPE } from './tokens';
import { isAdminEmail, type SessionUser } from './user';

export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is extended only once less than half its life remains, so a visit is not a write. */
const RENEW_BELOW_MS = SESSION_TTL_MS / 2;

export interface ValidSession {
	user: SessionUser;
	expiresAt: number;
	/** The expiry moved forward: the cookie must be sent again. */
	renewed: boolean;
}

const findSession = preparedFor((db) =>
	db
		.select({ expiresAt: sessions.expiresAt, id: users.id, email: users.email, name: users.name })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.idHash, sql.placeholder('idHash')))
		.prepare()
);

const extendSession = preparedFor((db) =>
	db
		.update(sessions)
		.set({ expiresAt: sql`${sql.placeholder('expiresAt')}` })
		.where(eq(sessions.idHash, sql.placeholder('idHash')))
		.prepare()
);

const deleteSession = preparedFor((db) =>
	db
		.delete(sessions)
		.where(eq(sessions.idHash, sql.placeholder('idHash')))
		.prepare()
);

const forgetExpiredSessions = preparedFor((db) =>
	db
		.delete(sessions)
		.where(lt(sessions.expiresAt, sql.placeholder('now')))
		.prepare()
);

const insertSession = preparedFor((db) =>
	db
		.insert(sessions)
		.values({
			idHash: sql.placeholder('idHash'),
			userId: sql.placeholder('userId'),
			expiresAt: sql.placeholder('expiresAt')
		})
		.prepare()
);

/** Starts a session for userId and returns its id in clear (for the cookie only) and its expiry. */
export function createSession(userId: number, now = Date.now()): { token: string; expiresAt: number } {
	const token = newToken();
	const expiresAt = now + SESSION_TTL_MS;
	forgetExpiredSessions().run({ now });
	insertSession().run({ idHash: hashToken(token), userId, expiresAt });
	return { token, expiresAt };
}

/** The user behind a session cookie, or null. Expired sessions are deleted; live ones slide forward. */
export function validateSessionToken(token: string, now = Date.now()): ValidSession | null {
	if (!TOKEN_SHAPE.test(token)) return null;
	const idHash = hashToken(token);
	const row = findSession().get({ idHash });
	if (!row) return null;
	if (row.expiresAt <= now) {
		deleteSession().run({ idHash });
		return null;
	}
	let { expiresAt } = row;
	const renewed = expiresAt - now < RENEW_BELOW_MS;
	if (renewed) {
		expiresAt = now + SESSION_TTL_MS;
		extendSession().run({ idHash, expiresAt });
	}
	const user: SessionUser = { id: row.id, email: row.email, name: row.name, isAdmin: isAdminEmail(row.email) };
	return { user, expiresAt, renewed };
}

export function invalidateSession(token: string): void {
	deleteSession().run({ idHash: hashToken(token) });
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: number): void {
	cookies.set(SESSION_COOKIE, token, cookieOptions('/', Math.max(0, Math.floor((expiresAt - Date.now()) / 1000))));
}

export function deleteSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, cookieOptions('/'));
}

/** Signs the browser in as userId with a new session id; any session it held before is ended. */
export function signInUser(cookies: Cookies, userId: number): void {
	const previous = cookies.get(SESSION_COOKIE);
	if (previous) invalidateSession(previous);
	const { token, expiresAt } = createSession(userId);
	setSessionCookie(cookies, token, expiresAt);
}
