// A test server whose clock can be moved: server-clock.js, preloaded into it, adds the offset kept in a file to every
// Date.now(), read on each call, so a test can take the server past a midnight between two requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ServerClock {
	/** The environment that makes a started server follow this clock. */
	env: Record<string, string>;
	/** Sets the server's clock to `at` (ms), as it will read it on its next request. */
	at(at: number): void;
	/** Back to the real time. */
	reset(): void;
	remove(): void;
}

export function serverClock(): ServerClock {
	const file = join(mkdtempSync(join(tmpdir(), 'server-clock-')), 'offset-ms');
	writeFileSync(file, '0');
	const preload = pathToFileURL(resolve(import.meta.dirname, 'server-clock.js')).href;
	return {
		env: { NODE_OPTIONS: `--import ${preload}`, TEST_CLOCK_FILE: file },
		at: (at) => writeFileSync(file, String(at - Date.now())),
		reset: () => writeFileSync(file, '0'),
		remove: () => rmSync(dirname(file), { recursive: true, force: true })
	};
}
