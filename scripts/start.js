// `npm start`: builds the app when the build is missing or older than its sources, then serves it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// course/ too: the webfont is subset at build time to the characters the lessons use.
const SOURCES = ['src', 'static', 'course', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

/** The latest modification time of path or anything under it (0 when missing). @param {string} path @returns {number} */
function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
if (built < Math.max(...SOURCES.map(newest))) {
	console.log(built ? 'Sources changed since the last build: rebuilding…' : 'First start: building the store…');
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
console.log(`Store: ${process.env.ORIGIN}`);
await import(new URL('../build/index.js', import.meta.url).href);
