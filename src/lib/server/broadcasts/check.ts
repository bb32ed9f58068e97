/** course:check's look at the database: a broadcast file whose send_at has passed but that was never sent. */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { CourseProblem } from '../course';
import type { BroadcastFile } from './files';

/**
 * Files whose send_at is past and that the store at databasePath has not started (or that no store has seen):
 * they would go out at the next pass of the sender, perhaps late. Warnings, not errors: sending late may be meant.
 */
export function pastBroadcastWarnings(files: BroadcastFile[], databasePath: string, now = Date.now()): CourseProblem[] {
	const past = files.filter((f) => f.sendAt <= now);
	if (!past.length) return [];
	const started = new Set<string>();
	if (existsSync(databasePath)) {
		let handle: Database.Database | undefined;
		try {
			handle = new Database(databasePath, { readonly: true, fileMustExist: true });
			const rows = handle
				.prepare("select file from broadcasts where file is not null and status in ('queuing', 'queued', 'cancelled')")
				.all() as { file: string }[];
			for (const r of rows) started.add(r.file);
		} catch {
			// A database from before broadcasts, or none readable: every past file is worth a warning.
		} finally {
			handle?.close();
		}
	}
	return past
		.filter((f) => !started.has(f.id))
		.map((f) => ({
			file: f.file,
			line: f.sendAtLine,
			message: `warning: send_at ${new Date(f.sendAt).toISOString()} is already past and this broadcast was not sent: it goes out at the next pass of the sender`
		}));
}
