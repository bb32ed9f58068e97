/**
 * Built books on disk, next to the database: one file per buyer (stamp), course version and format, so a
 * thousand downloads are a thousand file reads. A new course version replaces the buyer's older files.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { config } from '../env';

export type EbookFormat = 'epub' | 'pdf';

export function cacheDir(): string {
	const path = config().databasePath;
	return path === ':memory:' ? join(tmpdir(), 'course-store-ebooks') : join(dirname(resolve(path)), 'ebooks');
}

// Two first downloads of the same book at once build it once.
const building = new Map<string, Promise<string>>();

/**
 * The path of the cached book, built with build() when it is not there yet. owner names whose copy it is
 * (a buyer, or the seller's unstamped copy); version changes with the course and with what the stamp says.
 */
export function cachedBook(
	owner: string,
	version: string,
	format: EbookFormat,
	build: () => Promise<Uint8Array>
): Promise<string> {
	const dir = cacheDir();
	const name = `${owner}-${version}.${format}`;
	const path = join(dir, name);
	if (existsSync(path)) return Promise.resolve(path);
	let pending = building.get(path);
	if (!pending) {
		pending = build()
			.then((bytes) => {
				mkdirSync(dir, { recursive: true });
				// Written aside and renamed, so that a reader never gets half a book.
				const partial = `${path}.${process.pid}.partial`;
				writeFileSync(partial, bytes);
				renameSync(partial, path);
				for (const old of readdirSync(dir))
					if (old !== name && old.startsWith(`${owner}-`) && old.endsWith(`.${format}`))
						rmSync(join(dir, old), { force: true });
				return path;
			})
			.finally(() => building.delete(path));
		building.set(path, pending);
	}
	return pending;
}
