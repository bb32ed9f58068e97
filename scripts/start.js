// `npm start`: builds the app when the build is missing or older than its sources, then serves it.
// `npm run serve` (`--serve`, for production): serves the build as it is, exactly as `node build` does.
// Either way, with LITESTREAM_REPLICA_URL set the store runs under `litestream replicate`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from './node-flags.js';

// course/ too: the webfont is subset at build time to the characters the lessons use.
const SOURCES = ['src', 'static', 'course', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const BUILD = fileURLToPath(new URL('../build', import.meta.url));

/** The latest modification time of path or anything under it (0 when missing). @param {string} path @returns {number} */
function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/** Builds the app when the build is missing or older than its sources. */
function buildIfStale() {
	const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
	if (built >= Math.max(...SOURCES.map(newest))) return;
	console.log(built ? 'Sources changed since the last build: rebuilding…' : 'First start: building the store…');
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Stops with a message, as the store does for a bad variable. @param {string} message @returns {never} */
function refuse(message) {
	console.error(message);
	process.exit(1);
}

/** A word for go-shellwords, which splits Litestream's -exec command. @param {string} word */
function quote(word) {
	return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs `node build` as the child of `litestream replicate`: replication starts before the store and makes its
 * last copy after the store has stopped. SIGINT and SIGTERM go to Litestream, which passes them to the store.
 * @param {string} replicaUrl
 */
function serveUnderLitestream(replicaUrl) {
	if (!/^s3:\/\/[^/\s]+(\/\S*)?$/.test(replicaUrl) && !/^file:\/\/\/\S+$/.test(replicaUrl)) {
		refuse(`LITESTREAM_REPLICA_URL must be s3://BUCKET/PATH or file:///ABSOLUTE/PATH, got "${replicaUrl}"`);
	}
	// @flydotio/litestream's platform package carries the binary itself (its launcher would swallow signals).
	const platform = `${process.platform}-${process.arch}`;
	let binary = '';
	try {
		const pkg = createRequire(import.meta.url).resolve(`@flydotio/litestream-${platform}/package.json`);
		binary = join(dirname(pkg), 'litestream');
	} catch {
		refuse(`LITESTREAM_REPLICA_URL is set, but npm installed no Litestream binary for ${platform}`);
	}

	const databasePath = resolve(process.env.DATABASE_PATH?.trim() || 'data/store.db');
	mkdirSync(dirname(databasePath), { recursive: true });
	// JSON is YAML: the config is written fresh from the environment at every start.
	const configDir = mkdtempSync(join(tmpdir(), 'store-litestream-'));
	const configFile = join(configDir, 'litestream.yml');
	const exec = [process.execPath, ...SERVER_NODE_FLAGS, BUILD].map(quote).join(' ');
	writeFileSync(configFile, JSON.stringify({ exec, dbs: [{ path: databasePath, replicas: [{ url: replicaUrl }] }] }));

	console.log(`Replicating ${databasePath} to ${replicaUrl.replace(/\/\/[^/@]*@/, '//')} with Litestream`);
	const child = spawn(binary, ['replicate', '-config', configFile, '-no-expand-env'], { stdio: 'inherit' });
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
	child.on('error', (e) => refuse(`Litestream did not start: ${e.message}`));
	child.on('exit', (code, signal) => {
		rmSync(configDir, { recursive: true, force: true });
		process.exit(code ?? (signal ? 1 : 0));
	});
}

const serveOnly = process.argv.includes('--serve');
if (!serveOnly) {
	buildIfStale();
	process.env.PORT ??= '3000';
	process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
	console.log(`Store: ${process.env.ORIGIN}`);
} else if (!existsSync(join(BUILD, 'index.js'))) {
	refuse('No build to serve: run `npm run build` first');
}

const replicaUrl = process.env.LITESTREAM_REPLICA_URL?.trim();
if (replicaUrl) serveUnderLitestream(replicaUrl);
// In this process: package.json starts it with the V8 settings of node-flags.js, so there is one process to size.
else await import(new URL('../build/index.js', import.meta.url).href);
