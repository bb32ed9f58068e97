// Preloaded into a test server (`--import`, see serverClock in clock.ts): its Date.now() runs ahead by
// the milliseconds written in TEST_CLOCK_FILE, read on every call, so a test can move the server past a midnight.
import { readFileSync } from 'node:fs';

const file = process.env.TEST_CLOCK_FILE;
if (file) {
	const realNow = Date.now;
	Date.now = () => realNow() + (Number(readFileSync(file, 'utf8')) || 0);
}
