import { eq } from 'drizzle-orm';
import { db, type Db } from './db';
import { settings } from './db/schema';

const cache = new WeakMap<Db, Map<string, string>>();

/**
 * A secret this store makes once and keeps in settings (the key that signs demo webhooks, the sign-in code key):
 * the first caller's `make()` wins, even across processes on one database. Read once per connection.
 */
export function storeSecret(key: string, make: () => string): string {
	const handle = db();
	let known = cache.get(handle);
	if (!known) cache.set(handle, (known = new Map<string, string>()));
	const cached = known.get(key);
	if (cached !== undefined) return cached;
	handle.insert(settings).values({ key, value: make() }).onConflictDoNothing().run();
	const row = handle.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
	if (!row) throw new Error(`settings has no ${key} right after it was written`);
	known.set(key, row.value);
	return row.value;
}
