/** What the seller can change about one student from the desk; each change is written with its audit entry. */
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { enrolments, loginTokens, orders, outbox, sequenceRuns, users } from '../db/schema';
import { queueMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import { refreshEnrolment } from '../payments/entitlement';

export type ActionResult = 'done' | 'unchanged' | 'not-found' | 'taken';

const p = sql.placeholder;

const enrolmentOf = preparedFor((db) =>
	db
		.select({
			email: users.email,
			name: users.name,
			status: enrolments.status,
			reason: enrolments.revokedReason,
			sellerRevokedAt: enrolments.sellerRevokedAt,
			allLessonsOpen: enrolments.allLessonsOpen
		})
		.from(users)
		.leftJoin(enrolments, eq(enrolments.userId, users.id))
		.where(eq(users.id, p('userId')))
		.prepare()
);

const revoke = preparedFor((db) =>
	db
		.update(enrolments)
		.set({
			status: 'revoked',
			revokedReason: sql`${p('reason')}`,
			sellerRevokedAt: sql`${p('now')}`,
			updatedAt: sql`${p('now')}`
		})
		.where(eq(enrolments.userId, p('userId')))
		.prepare()
);

// Without an order (a student enrolled before orders were kept) there is nothing to recompute: active again.
const restore = preparedFor((db) =>
	db
		.update(enrolments)
		.set({ status: 'active', revokedReason: null, sellerRevokedAt: null, updatedAt: sql`${p('now')}` })
		.where(eq(enrolments.userId, p('userId')))
		.prepare()
);

const setOpen = preparedFor((db) =>
	db
		.update(enrolments)
		.set({ allLessonsOpen: sql`${p('open')}`, updatedAt: sql`${p('now')}` })
		.where(eq(enrolments.userId, p('userId')))
		.prepare()
);

/** Ends a student's access at once, with the seller's reason; payments cannot give it back, only restoreAccess. */
export function revokeAccess(userId: number, reason: string, actor: string, now = Date.now()): ActionResult {
	return writeTransaction(() => {
		const before = enrolmentOf().get({ userId });
		if (!before?.status) return 'not-found';
		if (before.sellerRevokedAt != null) return 'unchanged';
		revoke().run({ userId, reason, now });
		recordAudit({
			actor,
			action: 'revoke',
			subjectType: 'user',
			subjectId: userId,
			before: { status: before.status, reason: before.reason },
			after: { status: 'revoked', reason },
			reason
		});
		return 'done';
	});
}

/** Gives access back after a seller's revoke, as far as the student's payments allow (a refund stays a refund). */
export function restoreAccess(userId: number, reason: string, actor: string, now = Date.now()): ActionResult {
	return writeTransaction(() => {
		const before = enrolmentOf().get({ userId });
		if (!before?.status) return 'not-found';
		if (before.sellerRevokedAt == null) return 'unchanged';
		restore().run({ userId, now });
		refreshEnrolment(userId);
		const after = enrolmentOf().get({ userId })!;
		recordAudit({
			actor,
			action: 'restore',
			subjectType: 'user',
			subjectId: userId,
			before: { status: before.status, reason: before.reason },
			after: { status: after.status, reason: after.reason },
			reason
		});
		return 'done';
	});
}

/** Opens (or closes again) every lesson for one student, whatever the drip schedule says. */
export function setAllLessonsOpen(userId: number, open: boolean, actor: string, now = Date.now()): ActionResult {
	return writeTransaction(() => {
		const before = enrolmentOf().get({ userId });
		if (!before?.status) return 'not-found';
		if (before.allLessonsOpen === open) return 'unchanged';
		setOpen().run({ userId, open: open ? 1 : 0, now });
		recordAudit({
			actor,
			action: open ? 'open-all-lessons' : 'follow-schedule',
			subjectType: 'user',
			subjectId: userId,
			before: { allLessonsOpen: before.allLessonsOpen },
			after: { allLessonsOpen: open }
		});
		return 'done';
	});
}

/**
 * Mails the student a fresh sign-in link. A code is tied to the browser that asked for it, and the seller's
 * browser is not the student's, so this mail carries the link alone; the student can ask at /login for a code.
 */
export function sendSignInLink(userId: number, actor: string): ActionResult {
	const result = writeTransaction((): ActionResult => {
		const student = enrolmentOf().get({ userId });
		if (!student) return 'not-found';
		queueMail({
			key: `login:${randomBytes(16).toString('hex')}`,
			template: 'login-link',
			to: student.email,
			params: { next: '/course', browser: null }
		});
		recordAudit({
			actor,
			action: 'send-sign-in-link',
			subjectType: 'user',
			subjectId: userId,
			after: { to: student.email }
		});
		return 'done';
	});
	if (result === 'done') wakeSender();
	return result;
}

const rename = preparedFor((db) =>
	db
		.update(users)
		.set({ name: sql`${p('name')}` })
		.where(eq(users.id, p('userId')))
		.prepare()
);

/** The name on the certificate and in mails. */
export function changeName(userId: number, name: string | null, actor: string): ActionResult {
	return writeTransaction(() => {
		const before = enrolmentOf().get({ userId });
		if (!before) return 'not-found';
		if (before.name === name) return 'unchanged';
		rename().run({ userId, name });
		recordAudit({
			actor,
			action: 'change-name',
			subjectType: 'user',
			subjectId: userId,
			before: { name: before.name },
			after: { name }
		});
		return 'done';
	});
}

const userByEmail = preparedFor((db) =>
	db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, p('email')))
		.prepare()
);
const moveUser = preparedFor((db) =>
	db
		.update(users)
		.set({ email: sql`${p('email')}` })
		.where(eq(users.id, p('userId')))
		.prepare()
);
const moveOrders = preparedFor((db) =>
	db
		.update(orders)
		.set({ buyerEmail: sql`${p('email')}` })
		.where(eq(orders.userId, p('userId')))
		.prepare()
);
const moveRuns = preparedFor((db) =>
	db
		.update(sequenceRuns)
		.set({ email: sql`${p('email')}` })
		.where(eq(sequenceRuns.userId, p('userId')))
		.prepare()
);
// Mails not yet sent to the old address go to the new one; sent ones stay as the record of what was sent where.
const moveUnsent = preparedFor((db) =>
	db
		.update(outbox)
		.set({ toEmail: sql`${p('email')}` })
		.where(and(eq(outbox.toEmail, p('old')), inArray(outbox.status, ['pending', 'waiting', 'stopped'])))
		.prepare()
);
const forgetSignIns = preparedFor((db) =>
	db
		.delete(loginTokens)
		.where(eq(loginTokens.email, p('old')))
		.prepare()
);

/**
 * Moves a student to a new address: their account, orders, sequences and unsent mail. Sign-in requests for the
 * old address are dropped, so the old address keeps no way in. Refused when the new address has its own account.
 */
export function changeEmail(userId: number, email: string, actor: string): ActionResult {
	return writeTransaction(() => {
		const before = enrolmentOf().get({ userId });
		if (!before) return 'not-found';
		if (before.email === email) return 'unchanged';
		if (userByEmail().get({ email })) return 'taken';
		moveUser().run({ userId, email });
		moveOrders().run({ userId, email });
		moveRuns().run({ userId, email });
		moveUnsent().run({ old: before.email, email });
		forgetSignIns().run({ old: before.email });
		recordAudit({
			actor,
			action: 'change-email',
			subjectType: 'user',
			subjectId: userId,
			before: { email: before.email },
			after: { email }
		});
		return 'done';
	});
}
