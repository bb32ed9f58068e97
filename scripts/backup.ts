// `npm run backup -- FILE`: an online, consistent copy of the database while the store keeps serving.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { recordBackup } from '../src/lib/server/backups';
import { closeDatabase } from '../src/lib/server/db';
import { config } from '../src/lib/server/env';

const target = process.argv[2];
if (!target) {
	process.stderr.write('usage: npm run backup -- FILE\n');
	process.exit(2);
}
const source = resolve(config().databasePath);
if (!existsSync(source)) {
	process.stderr.write(`backup: no database at ${source} (DATABASE_PATH)\n`);
	process.exit(1);
}
const destination = resolve(target);
if (destination === source) {
	process.stderr.write('backup: FILE must not be the live database\n');
	process.exit(2);
}
mkdirSync(dirname(destination), { recursive: true });
const partial = `${destination}.partial`;
const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
try {
	// SQLite's backup API copies page by page and restarts if a writer changes the source mid-way.
	await db.backup(partial, {
		progress: ({ totalPages, remainingPages }) => {
			process.stderr.write(`backup: ${totalPages - remainingPages}/${totalPages} pages\r`);
			return 200;
		}
	});
	const copy = new Database(partial, { readonly: true });
	const check = copy.pragma('integrity_check', { simple: true });
	copy.close();
	if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
	renameSync(partial, destination);
	// The dashboard's going-live panel shows when the last good copy was made.
	recordBackup(destination, statSync(destination).size);
	closeDatabase();
	process.stderr.write(`\nbackup: ${source} → ${destination} (integrity ok)\n`);
} catch (e) {
	process.stderr.write(`\nbackup: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
} finally {
	db.close();
}
