/**
 * Builds a value (a prepared statement) on first use and keeps it: statements need the database open,
 * which happens at start-up, after modules are imported.
 */
export function once<T>(build: () => T): () => T {
	let value: T | undefined;
	let built = false;
	return () => {
		if (!built) {
			value = build();
			built = true;
		}
		return value as T;
	};
}
