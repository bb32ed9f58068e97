import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { config } from '../env';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Opens the SQLite file with the settings a store that takes money needs, and applies migrations. */
export function openDatabase(path: string, migrationsFolder = resolve('migrations')): Db {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const client = new Database(path);
	client.pragma('journal_mode = WAL');
	// A paid enrolment must survive a power cut, not only a process crash.
	client.pragma('synchronous = FULL');
	client.pragma('busy_timeout = 5000');
	client.pragma('foreign_keys = ON');
	// Savepoints (one per write in a group commit) journal each page they touch: in memory, not in a temp file.
	client.pragma('temp_store = MEMORY');
	const db = drizzle(client, { schema });
	migrate(db, { migrationsFolder });
	return db;
}

let handle: Db | undefined;

/** The store's database, opened on first use. */
export function db(): Db {
	if (handle) return handle;
	const { databasePath, litestreamReplicaUrl } = config();
	handle = openDatabase(databasePath);
	// Litestream copies WAL frames before it checkpoints them itself; ours could move them out of its sight.
	if (litestreamReplicaUrl) handle.$client.pragma('wal_autocheckpoint = 0');
	return handle;
}

/** Runs fn in a BEGIN IMMEDIATE transaction: writers queue on busy_timeout instead of failing mid-way. */
export function writeTransaction<T>(fn: () => T): T {
	return db().$client.transaction(fn).immediate();
}

export function closeDatabase(): void {
	handle?.$client.close();
	handle = undefined;
}
