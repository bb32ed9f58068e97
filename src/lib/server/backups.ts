import { desc } from 'drizzle-orm';
import { db } from './db';
import { backups } from './db/schema';

export type Backup = typeof backups.$inferSelect;

/** Notes a finished `npm run backup`, so the dashboard can tell the seller when the last good copy was made. */
export function recordBackup(file: string, bytes: number): void {
	db().insert(backups).values({ file, bytes, finishedAt: Date.now() }).run();
}

export function lastBackup(): Backup | undefined {
	return db().select().from(backups).orderBy(desc(backups.id)).limit(1).get();
}
