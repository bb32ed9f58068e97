/**
 * Sequence runs: an address going through `lead` (from confirming the list until it buys) or `student` (from the
 * purchase). Starting a run queues every step in the outbox at its planned time, in one insert in the caller's
 * transaction; each mail is composed, and its conditions read, only when it is due.
 */
import { and, eq, sql } from 'drizzle-orm';
import { hasEnrolled } from '../access';
import { normalizeEmail } from '../auth/tokens';
import { course } from '../course';
import { preparedFor } from '../db/prepared';
import { sequenceRuns } from '../db/schema';
import { lessonOpensAt } from '../drip';
import { queueMails, resumeRunMails, stopRunMails, wakeWaitingMails } from './outbox';
import type { Sequence, SequenceName, SequenceStep } from '../course/sequences';

const p = sql.placeholder;

export function findSequence(name: string): Sequence | undefined {
	return course().sequences.find((s) => s.name === name);
}

export interface PlannedStep {
	step: SequenceStep;
	dueAt: number;
}

/**
 * When each step is due: its delay after the previous step's planned time, after the start, or after its lesson
 * opens, from the same lessonOpensAt that opens the lesson page, so the page and the mail never disagree.
 */
export function planSequence(sequence: Sequence, startedAt: number, enrolledAt = startedAt): PlannedStep[] {
	const { timezone, bySlug } = course();
	let previous = startedAt;
	return sequence.steps.map((step) => {
		const lesson = step.lessonOpens ? bySlug.get(step.lessonOpens) : undefined;
		const base = lesson ? lessonOpensAt(enrolledAt, lesson, timezone) : step.after === 'start' ? startedAt : previous;
		previous = base + step.delayMs;
		return { step, dueAt: previous };
	});
}

const runById = preparedFor((db) =>
	db
		.select()
		.from(sequenceRuns)
		.where(eq(sequenceRuns.id, p('id')))
		.prepare()
);

export type SequenceRun = typeof sequenceRuns.$inferSelect;

/** A run, as a sequence mail reads it when it is due. */
export function findRun(id: number): SequenceRun | undefined {
	return runById().get({ id });
}

const runOf = preparedFor((db) =>
	db
		.select({ id: sequenceRuns.id, status: sequenceRuns.status })
		.from(sequenceRuns)
		.where(and(eq(sequenceRuns.sequence, p('name')), eq(sequenceRuns.email, p('email'))))
		.prepare()
);

const restartRun = preparedFor((db) =>
	db
		.update(sequenceRuns)
		.set({
			status: 'active',
			stoppedReason: null,
			stoppedAt: null,
			userId: sql`coalesce(${p('userId')}, ${sequenceRuns.userId})`
		})
		.where(eq(sequenceRuns.id, p('id')))
		.prepare()
);

const insertRun = preparedFor((db) =>
	db
		.insert(sequenceRuns)
		.values({ sequence: p('name'), email: p('email'), userId: p('userId'), startedAt: p('startedAt') })
		.returning({ id: sequenceRuns.id })
		.prepare()
);

function startRun(
	name: SequenceName,
	email: string,
	userId: number | null,
	startedAt: number,
	enrolledAt: number
): number | undefined {
	const sequence = findSequence(name);
	const existing = runOf().get({ name, email });
	if (existing?.status === 'active') return existing.id;
	if (existing) {
		restartRun().run({ userId, id: existing.id });
		resumeRunMails(existing.id);
		return existing.id;
	}
	const run = insertRun().get({ name, email, userId, startedAt });
	if (!run) throw new Error(`sequence ${name}: the run for ${email} was not stored`);
	if (!sequence) return run.id;
	queueMails(
		planSequence(sequence, startedAt, enrolledAt).map(({ step, dueAt }) => ({
			// The address before the step: a run's dozen keys sit side by side in the key index, so a sale dirties one
			// or two of its pages instead of one per step (half the pages each sale writes to the WAL).
			key: `${name}:${email}:${step.id}`,
			template: `${name}/${step.id}`,
			to: email,
			params: { runId: run.id },
			marketing: true,
			dueAt,
			runId: run.id
		}))
	);
	return run.id;
}

const stopRunOf = preparedFor((db) =>
	db
		.update(sequenceRuns)
		.set({ status: 'stopped', stoppedReason: sql`${p('reason')}`, stoppedAt: sql`${p('now')}` })
		.where(
			and(eq(sequenceRuns.sequence, p('name')), eq(sequenceRuns.email, p('email')), eq(sequenceRuns.status, 'active'))
		)
		.returning({ id: sequenceRuns.id })
		.prepare()
);

function stopRun(name: SequenceName, email: string, reason: string): void {
	const run = stopRunOf().get({ reason, now: Date.now(), name, email });
	if (run) stopRunMails(run.id, reason);
}

const stopRunsOf = preparedFor((db) =>
	db
		.update(sequenceRuns)
		.set({ status: 'stopped', stoppedReason: sql`${p('reason')}`, stoppedAt: sql`${p('now')}` })
		.where(and(eq(sequenceRuns.email, p('email')), eq(sequenceRuns.status, 'active')))
		.prepare()
);

/** Every active run of the address stops (a suppression); its mails are set aside by the suppression itself. */
export function stopRunsOfAddress(email: string, reason: string, now = Date.now()): void {
	stopRunsOf().run({ email, reason, now });
}

/**
 * Starts the lead sequence for a confirmed subscriber (or resumes it after a re-subscription). Does nothing for
 * an address that has already bought. Call inside the confirmation's transaction.
 */
export function startLeadSequence(email: string, startedAt = Date.now()): number | undefined {
	const address = normalizeEmail(email);
	if (hasEnrolled(address)) return undefined;
	return startRun('lead', address, null, startedAt, startedAt);
}

/** The subscriber bought: the lead sequence stops. Call inside the fulfilment's transaction. */
export function leaveLeadSequence(email: string): void {
	stopRun('lead', normalizeEmail(email), 'purchased');
}

/**
 * Starts the student sequence on purchase. Call inside the fulfilment's transaction, after queueing the welcome
 * mail, with the enrolment's own enrolled_at so that lesson mails follow the lesson pages' schedule.
 */
export function startStudentSequence(userId: number, email: string, enrolledAt: number): number | undefined {
	return startRun('student', normalizeEmail(email), userId, enrolledAt, enrolledAt);
}

const activeRunsOfUser = preparedFor((db) =>
	db
		.select({ id: sequenceRuns.id })
		.from(sequenceRuns)
		.where(and(eq(sequenceRuns.userId, p('userId')), eq(sequenceRuns.status, 'active')))
		.prepare()
);

/**
 * A student's progress changed (a lesson done, the course finished): mails waiting for a condition are looked at
 * in the next pass instead of at their next check. Returns how many were moved forward.
 */
export function recheckWaitingMails(userId: number, now = Date.now()): number {
	let moved = 0;
	for (const run of activeRunsOfUser().all({ userId })) moved += wakeWaitingMails(run.id, now);
	return moved;
}

const activeRunsOfAddress = preparedFor((db) =>
	db
		.select({ id: sequenceRuns.id, sequence: sequenceRuns.sequence })
		.from(sequenceRuns)
		.where(and(eq(sequenceRuns.email, p('email')), eq(sequenceRuns.status, 'active')))
		.prepare()
);

/**
 * The seller stops an address's sequences: its active runs and the mails they have not sent stop (a later start
 * resumes only what is still ahead). Returns the sequences stopped. Call inside the action's transaction.
 */
export function stopSequencesOf(email: string, reason: string, now = Date.now()): string[] {
	const runs = activeRunsOfAddress().all({ email });
	stopRunsOf().run({ email, reason, now });
	for (const run of runs) stopRunMails(run.id, reason);
	return runs.map((r) => r.sequence);
}
