import { db } from './db';

/** True when the database answers a query that touches the schema. */
export function databaseAnswers(): boolean {
	try {
		db().$client.prepare('select count(*) from settings').get();
		return true;
	} catch (e) {
		console.error('healthz: database does not answer:', e);
		return false;
	}
}
