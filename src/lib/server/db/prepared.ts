import { db, type Db } from '.';

/**
 * The one way to keep a prepared statement: `preparedFor((db) => db.select()….prepare())` returns a getter that
 * builds the statement on the store's current connection the first time it is called there, and reuses it after.
 * Statements are kept per connection (a WeakMap on the handle), so after `closeDatabase()` (tests) the next call
 * prepares afresh on the new connection instead of using a statement of a closed one. Build a statement with
 * `sql.placeholder('name')` for its inputs and call it as `find().get({ name })`; the getter needs the database
 * open only when called, so it can be declared at module level.
 */
export function preparedFor<T>(build: (db: Db) => T): () => T {
	const byConnection = new WeakMap<Db, { value: T }>();
	return () => {
		const handle = db();
		let built = byConnection.get(handle);
		if (!built) byConnection.set(handle, (built = { value: build(handle) }));
		return built.value;
	};
}
