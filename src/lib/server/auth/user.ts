import { eq, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { users } from '../db/schema';
import { config } from '../env';
import { normalizeEmail } from './tokens';

/** The signed-in person as routes see it (event.locals.user). */
export interface SessionUser {
	id: number;
	email: string;
	name: string | null;
	isAdmin: boolean;
}

export function isAdminEmail(email: string): boolean {
	return config().adminEmails.has(normalizeEmail(email));
}

const upsertUser = preparedFor((db) =>
	db
		.insert(users)
		.values({ email: sql.placeholder('email') })
		// A no-op update, so that RETURNING also answers when the row already exists.
		.onConflictDoUpdate({ target: users.email, set: { email: sql`excluded.email` } })
		.returning({ id: users.id })
		.prepare()
);

const updateName = preparedFor((db) =>
	db
		.update(users)
		.set({ name: sql`${sql.placeholder('name')}` })
		.where(eq(users.id, sql.placeholder('userId')))
		.prepare()
);

/** The user with this address, created on first sign-in. Call it inside the transaction that spends the token. */
export function findOrCreateUser(email: string): number {
	return upsertUser().get({ email: normalizeEmail(email) }).id;
}

export const NAME_MAX_LENGTH = 80;

/** A name as kept and shown: one line, each run of spaces, line breaks and control characters made one space. */
export function oneLineName(name: string): string {
	return name.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** The name printed on the certificate. */
export function setUserName(userId: number, name: string): void {
	updateName().run({ userId, name });
}
