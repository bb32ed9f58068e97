import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { db } from './db';
import { preparedFor } from './db/prepared';
import { certificates, users } from './db/schema';

/** Certificate ids: 128 random bits, so that the URL can be public without being guessable. */
const ID_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** What anyone holding the URL may see: never the email or anything else about the student. */
export interface PublicCertificate {
	id: string;
	name: string | null;
	completedAt: number;
	userId: number;
}

/** Issues the student's certificate once; later calls keep the first one. */
export function issueCertificate(userId: number, completedAt: number): void {
	db()
		.insert(certificates)
		.values({ id: randomBytes(16).toString('base64url'), userId, completedAt })
		.onConflictDoNothing({ target: certificates.userId })
		.run();
}

const idOfUser = preparedFor((db) =>
	db
		.select({ id: certificates.id })
		.from(certificates)
		.where(eq(certificates.userId, sql.placeholder('userId')))
		.prepare()
);

export function certificateIdOf(userId: number): string | null {
	return idOfUser().get({ userId })?.id ?? null;
}

export function findCertificate(id: string): PublicCertificate | null {
	if (!ID_SHAPE.test(id)) return null;
	const row = db()
		.select({
			id: certificates.id,
			name: users.name,
			completedAt: certificates.completedAt,
			userId: certificates.userId
		})
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.where(eq(certificates.id, id))
		.get();
	return row ?? null;
}
