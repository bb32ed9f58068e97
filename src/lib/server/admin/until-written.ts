/**
 * Figures read from the database alone, kept until the database next changes. The key is this connection's count of
 * rows written (total_changes(), triggers' writes included) with SQLite's data_version (commits by any other
 * connection or process): any write anywhere makes the next read compute afresh, so a kept figure is never stale.
 */
import type { Statement } from 'better-sqlite3';
import { db, type Db } from '../db';
import { preparedFor } from '../db/prepared';

const versionNow = preparedFor(
	(handle) =>
		handle.$client
			.prepare(`select total_changes() || ' ' || data_version from pragma_data_version`)
			.pluck() as Statement<[], string>
);

/** The database's version as this connection sees it: any write anywhere changes it. */
export function writtenVersion(): string {
	return versionNow().get()!;
}

// Per connection, as total_changes() counts from the connection's opening.
const kept = new WeakMap<Db, { version: string; values: Map<string, unknown> }>();

/**
 * compute()'s value for key, computed again after any write. Read the version before the figures (and inside the same
 * read transaction, see readTogether), so that a value is never newer-keyed than what it was computed from.
 */
export function untilWritten<T>(key: string, compute: () => T): T {
	const handle = db();
	const version = writtenVersion();
	let entry = kept.get(handle);
	if (entry?.version !== version) kept.set(handle, (entry = { version, values: new Map() }));
	if (entry.values.has(key)) return entry.values.get(key) as T;
	const value = compute();
	entry.values.set(key, value);
	return value;
}
