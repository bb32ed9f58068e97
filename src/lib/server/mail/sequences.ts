/**
 * Sequence runs: an address going through `lead` (from confirming the list until it buys) or `student` (from the
 * purchase). Starting a run queues every step in the outbox at its planned time, in the caller's transaction;
 * each mail is composed, and its conditions read, only when it is due.
 */
import { normalizeEmail } from '../auth/tokens';
import { course } from '../course';
import { stmt } from '../db/statements';
import { lessonOpensAt } from '../drip';
import { queueMail } from './outbox';
import type { Sequence, SequenceName, SequenceStep } from './sequence-files';

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

/** Whether the address has bought the course (an enrolment, whatever became of it). */
export function hasPurchased(email: string): boolean {
	return (
		stmt('select 1 from enrolments e join users u on u.id = e.user_id where u.email = ? limit 1').get(email) !==
		undefined
	);
}

function startRun(
	name: SequenceName,
	email: string,
	userId: number | null,
	startedAt: number,
	enrolledAt: number
): number | undefined {
	const sequence = findSequence(name);
	const existing = stmt('select id, status from sequence_runs where sequence = ? and email = ?').get(name, email) as
		{ id: number; status: string } | undefined;
	if (existing?.status === 'active') return existing.id;
	if (existing) {
		stmt(
			"update sequence_runs set status = 'active', stopped_reason = null, stopped_at = null, user_id = coalesce(?, user_id) where id = ?"
		).run(userId, existing.id);
		// Mails skipped when the run stopped that are still ahead go out after all; past ones are not sent late.
		stmt(
			`update outbox set status = 'pending', last_error = null where run_id = ? and status = 'skipped' and batch_id is null
			 and due_at > ? and (last_error like 'sequence stopped%' or last_error = 'suppressed: unsubscribed')`
		).run(existing.id, Date.now());
		return existing.id;
	}
	const runId = Number(
		stmt('insert into sequence_runs (sequence, email, user_id, started_at) values (?, ?, ?, ?)').run(
			name,
			email,
			userId,
			startedAt
		).lastInsertRowid
	);
	if (!sequence) return runId;
	for (const { step, dueAt } of planSequence(sequence, startedAt, enrolledAt)) {
		queueMail({
			key: `${name}:${step.id}:${email}`,
			template: `${name}/${step.id}`,
			to: email,
			params: { runId },
			marketing: true,
			dueAt,
			runId
		});
	}
	return runId;
}

function stopRun(name: SequenceName, email: string, reason: string): void {
	const run = stmt(
		"update sequence_runs set status = 'stopped', stopped_reason = ?, stopped_at = ? where sequence = ? and email = ? and status = 'active' returning id"
	).get(reason, Date.now(), name, email) as { id: number } | undefined;
	if (!run) return;
	stmt(
		"update outbox set status = 'skipped', last_error = ? where run_id = ? and status = 'pending' and batch_id is null"
	).run(`sequence stopped: ${reason}`, run.id);
}

/**
 * Starts the lead sequence for a confirmed subscriber (or resumes it after a re-subscription). Does nothing for
 * an address that has already bought. Call inside the confirmation's transaction.
 */
export function startLeadSequence(email: string, startedAt = Date.now()): number | undefined {
	const address = normalizeEmail(email);
	if (hasPurchased(address)) return undefined;
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

/**
 * A student's progress changed (a lesson done, the course finished): mails waiting for a condition are looked at
 * in the next pass instead of at their next check. Returns how many were moved forward.
 */
export function recheckWaitingMails(userId: number, now = Date.now()): number {
	return stmt(
		`update outbox set due_at = ? where status = 'pending' and batch_id is null and due_at > ? and last_error like 'waiting for%'
		 and run_id in (select id from sequence_runs where user_id = ? and status = 'active')`
	).run(now, now, userId).changes;
}
