import { count } from 'drizzle-orm';
import { preparedFor } from './db/prepared';
import { settings } from './db/schema';

const countSettings = preparedFor((db) => db.select({ n: count() }).from(settings).prepare());

/** True when the database answers a query that touches the schema. */
export function databaseAnswers(): boolean {
	try {
		countSettings().get();
		return true;
	} catch (e) {
		console.error('healthz: database does not answer:', e);
		return false;
	}
}
