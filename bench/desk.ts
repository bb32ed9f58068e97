// The desk-at-size line alone: `npm run bench:desk` (BENCH_SKIP_BUILD=1 reuses build/; BENCH_NODE_OPTIONS goes to the server). Prints figures; asserts nothing.
import { join } from 'node:path';
import { loadCourse } from '../src/lib/server/course';
import { buildApp, ROOT } from './lib/app-server';
import { load } from './lib/measure';
import { runDesk } from './suites/desk';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// e.g. --import ./bench/lib/cpu-profile.js, to profile the desk's pages (as bench:webhook does).
const SERVER_ENV = process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : undefined;

buildApp();
const lines = await runDesk(
	{
		course: loadCourse(join(ROOT, 'course')),
		seconds: SECONDS,
		load: (url, options = {}) => load(url, { connections: CONNECTIONS, seconds: SECONDS, ...options })
	},
	SERVER_ENV
);
console.log(`\nThe desk at size: ${SECONDS} s a line, alternating with the gated lesson`);
for (const line of lines)
	console.log(`${line.name}  ${line.value.toLocaleString('en')} ${line.unit}${line.note ? `  (${line.note})` : ''}`);
