import type Database from 'better-sqlite3';
import { db } from '.';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement on the store's database, prepared once per connection (hot paths: the mail sender). */
export function stmt(sql: string): Database.Statement {
	const client = db().$client;
	let statements = cache.get(client);
	if (!statements) cache.set(client, (statements = new Map<string, Database.Statement>()));
	let statement = statements.get(sql);
	if (!statement) statements.set(sql, (statement = client.prepare(sql)));
	return statement;
}
