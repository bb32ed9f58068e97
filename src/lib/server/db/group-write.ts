import type Database from 'better-sqlite3';
import { db } from '.';

interface Job {
	work: () => unknown;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A queue of writes committed in groups on the connection client() returns: one BEGIN IMMEDIATE and one fsync
 * (synchronous=FULL) for every write queued meanwhile, each in its own savepoint, so one that throws is undone and
 * rejected alone. A write resolves only once its group is committed. A group starts on the event loop's next turn
 * after the previous commit, never after a timer: alone, a write waits for nothing; under load, the writes that
 * arrived during one fsync share the next.
 */
export function groupWriter(client: () => Database.Database): <T>(work: () => T) => Promise<T> {
	let waiting: Job[] = [];
	let scheduled = false;

	const commitGroup = (): void => {
		const jobs = waiting;
		waiting = [];
		const outcomes: Outcome[] = [];
		try {
			const connection = client();
			connection
				.transaction(() => {
					for (const job of jobs) {
						try {
							// A nested better-sqlite3 transaction is a savepoint: a throw rolls back this work only.
							outcomes.push({ ok: true, value: connection.transaction(job.work)() });
						} catch (error) {
							outcomes.push({ ok: false, error });
						}
					}
				})
				.immediate();
		} catch (error) {
			// BEGIN or COMMIT failed (busy, disk): nothing of the group is written, so no write may report success.
			outcomes.splice(0, outcomes.length, ...jobs.map((): Outcome => ({ ok: false, error })));
		}
		jobs.forEach((job, i) => {
			const outcome = outcomes[i];
			if (outcome.ok) job.resolve(outcome.value);
			else job.reject(outcome.error);
		});
		if (waiting.length) setImmediate(commitGroup);
		else scheduled = false;
	};

	return <T>(work: () => T) =>
		new Promise<T>((resolve, reject) => {
			waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
			if (scheduled) return;
			scheduled = true;
			setImmediate(commitGroup);
		});
}

/** The store's group writer: resolves once work is committed with the others queued meanwhile. Never call it inside a transaction. */
export const groupWrite = groupWriter(() => db().$client);
