/** Searches the desk can afford at size: each one served by an index, never a scan of a whole table. */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * `column` starts with `prefix`, spelled as a range so that the column's index serves it (a LIKE would scan). The
 * prefix may be a prepared statement's placeholder: the range's end is then computed by SQLite, still a constant.
 */
export function startsWith(column: SQLiteColumn, prefix: string | Placeholder): SQL {
	const end = typeof prefix === 'string' ? prefix + '\uffff' : sql`${prefix} || ${'\uffff'}`;
	return sql`(${column} >= ${prefix} and ${column} < ${end})`;
}
