/** The audit log: every change made from the seller's dashboard, written in the transaction of the change itself. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { auditLog, AUDIT_SUBJECTS } from '../db/schema';

export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

export interface AuditEntry {
	actor: string;
	action: string;
	subjectType: AuditSubject;
	subjectId: string | number;
	before?: Record<string, unknown> | null;
	after?: Record<string, unknown> | null;
	reason?: string | null;
}

export type AuditRow = typeof auditLog.$inferSelect;

const insertEntry = preparedFor((db) =>
	db
		.insert(auditLog)
		.values({
			actor: sql.placeholder('actor'),
			action: sql.placeholder('action'),
			subjectType: sql.placeholder('subjectType'),
			subjectId: sql.placeholder('subjectId'),
			before: sql.placeholder('before'),
			after: sql.placeholder('after'),
			reason: sql.placeholder('reason')
		})
		.prepare()
);

/** Records one change. Call it inside the write transaction that makes the change, so neither exists without the other. */
export function recordAudit(entry: AuditEntry): void {
	insertEntry().run({
		actor: entry.actor,
		action: entry.action,
		subjectType: entry.subjectType,
		subjectId: String(entry.subjectId),
		before: entry.before ? JSON.stringify(entry.before) : null,
		after: entry.after ? JSON.stringify(entry.after) : null,
		reason: entry.reason ?? null
	});
}

// Keyed by id, newest first: the next page starts below the last id shown, whatever was written since.
const pageOfAll = preparedFor((db) =>
	db
		.select()
		.from(auditLog)
		.where(lt(auditLog.id, sql.placeholder('before')))
		.orderBy(desc(auditLog.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

const pageOfSubject = preparedFor((db) =>
	db
		.select()
		.from(auditLog)
		.where(
			and(
				eq(auditLog.subjectType, sql.placeholder('subjectType')),
				eq(auditLog.subjectId, sql.placeholder('subjectId')),
				lt(auditLog.id, sql.placeholder('before'))
			)
		)
		.orderBy(desc(auditLog.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

/** Entries newest first, below the id `before`; of one record when subject is given. */
export function listAudit(
	{ before = Number.MAX_SAFE_INTEGER, limit = 50 }: { before?: number; limit?: number },
	subject?: { type: AuditSubject; id: string | number }
): AuditRow[] {
	if (!subject) return pageOfAll().all({ before, limit });
	return pageOfSubject().all({ subjectType: subject.type, subjectId: String(subject.id), before, limit });
}
