/** Everything the desk shows about one student: progress lesson by lesson, orders, mails, sessions and changes. */
import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import { listAudit, type AuditRow } from '../audit/log';
import { course } from '../course';
import { preparedFor } from '../db/prepared';
import { enrolments, orders, outbox, progress, sessions, users } from '../db/schema';
import { orderStatus, type OrderStatus } from './orders';
import { paymentStates } from '../db/schema';

const p = sql.placeholder;

export interface StudentDetail {
	id: number;
	email: string;
	name: string | null;
	createdAt: number;
	enrolment: {
		status: 'active' | 'revoked';
		reason: string | null;
		sellerRevoked: boolean;
		allLessonsOpen: boolean;
		enrolledAt: number;
	} | null;
	lessons: { slug: string; title: string; firstViewedAt: number | null; completedAt: number | null }[];
	orders: {
		id: number;
		method: string;
		amount: number;
		currency: string;
		reference: string | null;
		paymentIntentId: string | null;
		createdAt: number;
		status: OrderStatus;
	}[];
	mails: {
		id: number;
		template: string;
		status: string;
		lastError: string | null;
		createdAt: number;
		sentAt: number | null;
	}[];
	sessions: number;
	audit: AuditRow[];
}

const userRow = preparedFor((db) =>
	db
		.select({
			id: users.id,
			email: users.email,
			name: users.name,
			createdAt: users.createdAt,
			status: enrolments.status,
			reason: enrolments.revokedReason,
			sellerRevokedAt: enrolments.sellerRevokedAt,
			allLessonsOpen: enrolments.allLessonsOpen,
			enrolledAt: enrolments.enrolledAt
		})
		.from(users)
		.leftJoin(enrolments, eq(enrolments.userId, users.id))
		.where(eq(users.id, p('userId')))
		.prepare()
);

const progressRows = preparedFor((db) =>
	db
		.select()
		.from(progress)
		.where(eq(progress.userId, p('userId')))
		.prepare()
);

const ordersOf = preparedFor((db) =>
	db
		.select({
			id: orders.id,
			method: orders.method,
			amount: orders.amount,
			currency: orders.currency,
			reference: orders.reference,
			paymentIntentId: orders.paymentIntentId,
			createdAt: orders.createdAt,
			status: orderStatus
		})
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.leftJoin(enrolments, eq(enrolments.userId, orders.userId))
		.where(eq(orders.userId, p('userId')))
		.orderBy(desc(orders.id))
		.prepare()
);

const mailsTo = preparedFor((db) =>
	db
		.select({
			id: outbox.id,
			template: outbox.template,
			status: outbox.status,
			lastError: outbox.lastError,
			createdAt: outbox.createdAt,
			sentAt: outbox.sentAt
		})
		.from(outbox)
		.where(eq(outbox.toEmail, p('email')))
		.orderBy(desc(outbox.id))
		.limit(50)
		.prepare()
);

const liveSessions = preparedFor((db) =>
	db
		.select({ n: count() })
		.from(sessions)
		.where(and(eq(sessions.userId, p('userId')), gt(sessions.expiresAt, p('now'))))
		.prepare()
);

export function findStudent(userId: number, now = Date.now()): StudentDetail | undefined {
	const row = userRow().get({ userId });
	if (!row) return undefined;
	const done = new Map(
		progressRows()
			.all({ userId })
			.map((r) => [r.lessonSlug, r])
	);
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		createdAt: row.createdAt,
		enrolment:
			row.status && row.enrolledAt != null
				? {
						status: row.status,
						reason: row.reason,
						sellerRevoked: row.sellerRevokedAt != null,
						allLessonsOpen: row.allLessonsOpen ?? false,
						enrolledAt: row.enrolledAt
					}
				: null,
		lessons: course().lessons.map((l) => ({
			slug: l.slug,
			title: l.title,
			firstViewedAt: done.get(l.slug)?.firstViewedAt ?? null,
			completedAt: done.get(l.slug)?.completedAt ?? null
		})),
		orders: ordersOf().all({ userId }),
		mails: mailsTo().all({ email: row.email }),
		sessions: liveSessions().get({ userId, now })?.n ?? 0,
		audit: listAudit({ limit: 50 }, { type: 'user', id: userId })
	};
}
