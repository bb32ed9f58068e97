/** Searches the desk can afford at size: each one served by an index, never a scan of a whole table. */
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** `column` starts with `prefix`, spelled as a range so that the column's index serves it (a LIKE would scan). */
export function startsWith(column: SQLiteColumn, prefix: string): SQL {
	return sql`(${column} >= ${prefix} and ${column} < ${prefix + '\uffff'})`;
}
