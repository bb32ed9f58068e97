import { desc, sql } from 'drizzle-orm';
import { preparedFor } from './db/prepared';
import { backups } from './db/schema';

export type Backup = typeof backups.$inferSelect;

const insertBackup = preparedFor((db) =>
	db
		.insert(backups)
		.values({
			file: sql.placeholder('file'),
			bytes: sql.placeholder('bytes'),
			finishedAt: sql.placeholder('finishedAt')
		})
		.prepare()
);

const newestBackup = preparedFor((db) => db.select().from(backups).orderBy(desc(backups.id)).limit(1).prepare());

/** Notes a finished `npm run backup`, so the dashboard can tell the seller when the last good copy was made. */
export function recordBackup(file: string, bytes: number): void {
	insertBackup().run({ file, bytes, finishedAt: Date.now() });
}

export function lastBackup(): Backup | undefined {
	return newestBackup().get();
}
