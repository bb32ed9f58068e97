import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { config, type Config } from './env';

/**
 * The off-machine copy of the database that Litestream keeps (LITESTREAM_REPLICA_URL): where its binary is,
 * what the replica holds, and a cheap, never-throwing summary of it for the admin's going-live panel.
 */

export interface ReplicaState {
	/** False when LITESTREAM_REPLICA_URL is unset: no copy of the database leaves this machine. */
	configured: boolean;
	/** The replica URL without user, password or query: safe to show. Null when not configured. */
	url: string | null;
	/** Where the replica's newest WAL segment starts, as Litestream logs it: `generation/index:offset`. */
	position: string | null;
	/** When the replica last received a change (Litestream reports whole seconds). */
	lastReplicatedAt: Date | null;
	/** Seconds from lastReplicatedAt to the moment of reading (large on a store that nobody writes to). */
	ageSeconds: number | null;
	/** Seconds by which the last copy trails the database's last write: large when Litestream is not running. */
	behindSeconds: number | null;
	/** Why the replica could not be read; null when it could (an empty replica has no position and no problem). */
	problem: string | null;
}

/** One WAL segment in the replica, as `litestream wal` lists it. */
export interface WalSegment {
	generation: string;
	index: number;
	offset: number;
	createdAt: Date;
}

/** One generation in the replica (a snapshot and the WAL after it), as `litestream generations` lists it. */
export interface Generation {
	generation: string;
	start: Date;
	end: Date;
}

const TIMEOUT_MS = 15_000;

/** The Litestream binary that `npm ci` installed for this platform, or null when there is none. */
export function litestreamBinary(): string | null {
	try {
		// @flydotio/litestream's platform package carries the binary itself (its launcher would swallow signals).
		const pkg = `@flydotio/litestream-${process.platform}-${process.arch}/package.json`;
		const binary = join(dirname(createRequire(import.meta.url).resolve(pkg)), 'litestream');
		return existsSync(binary) ? binary : null;
	} catch {
		return null;
	}
}

/** The replica URL with any credentials and query removed. */
export function redactReplicaUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		parsed.search = '';
		parsed.hash = '';
		return parsed.href;
	} catch {
		return url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
	}
}

/** Runs a Litestream command and answers its output; rejects when it fails or logs an error. */
export function runLitestream(args: string[]): Promise<{ stdout: string; stderr: string }> {
	const binary = litestreamBinary();
	if (!binary) {
		return Promise.reject(new Error(`no Litestream binary for ${process.platform}-${process.arch} in node_modules`));
	}
	return new Promise((done, fail) => {
		execFile(binary, args, { timeout: TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
			// Litestream logs an unreadable replica (wrong key, no network) and still exits 0.
			const logged = /level=ERROR.*|ERROR .*/.exec(stderr)?.[0];
			if (error || logged) fail(new Error(logged ?? (stderr.trim() || error?.message)));
			else done({ stdout, stderr });
		});
	});
}

/** Rows of Litestream's tabular output, header dropped, split on its column padding. */
function rows(stdout: string): string[][] {
	return stdout
		.split('\n')
		.slice(1)
		.map((line) => line.trim().split(/\s+/))
		.filter((cells) => cells.length > 1);
}

/** Every WAL segment the replica holds, oldest first within each generation. */
export async function listWalSegments(url: string, generation?: string): Promise<WalSegment[]> {
	const args = ['wal', ...(generation ? ['-generation', generation] : []), url];
	const { stdout } = await runLitestream(args);
	return rows(stdout).map(([, gen, index, offset, , created]) => ({
		generation: gen,
		index: Number(index),
		offset: Number(offset),
		createdAt: new Date(created)
	}));
}

/** Every generation the replica holds, with the span of time it covers. */
export async function listGenerations(url: string): Promise<Generation[]> {
	const { stdout } = await runLitestream(['generations', url]);
	return rows(stdout).map(([, generation, , start, end]) => ({
		generation,
		start: new Date(start),
		end: new Date(end)
	}));
}

/** The newest of the segments (the last listed wins a tie: Litestream lists each generation in order). */
export function newestSegment(segments: WalSegment[]): WalSegment | undefined {
	return segments.reduce<WalSegment | undefined>(
		(newest, s) => (!newest || s.createdAt >= newest.createdAt ? s : newest),
		undefined
	);
}

/** A segment's place in the database's history, written as Litestream's own log writes it. */
export function positionOf(segment: WalSegment): string {
	return `${segment.generation}/${segment.index.toString(16).padStart(8, '0')}:${segment.offset}`;
}

// Listing a replica costs a process and, for S3, a few requests: an admin reloading the page reuses the answer.
const CACHE_MS = 30_000;
let cached: { key: string; at: number; state: Promise<ReplicaState> } | undefined;

type ReplicaSettings = Pick<Config, 'litestreamReplicaUrl' | 'databasePath'>;

/** What the replica holds, for the going-live panel. Never throws; cached for half a minute. */
export function replicaState(settings = configured(), now = Date.now()): Promise<ReplicaState> {
	const url = settings?.litestreamReplicaUrl;
	if (!settings || !url) return Promise.resolve(notConfigured());
	const key = `${url}\n${settings.databasePath}`;
	if (cached?.key === key && now - cached.at < CACHE_MS) return cached.state;
	const state = readReplicaState(url, settings.databasePath, now);
	cached = { key, at: now, state };
	return state;
}

function configured(): ReplicaSettings | undefined {
	try {
		return config();
	} catch {
		// A malformed variable already stopped the server at start-up; a panel has nothing to add.
		return undefined;
	}
}

function notConfigured(): ReplicaState {
	return {
		configured: false,
		url: null,
		position: null,
		lastReplicatedAt: null,
		ageSeconds: null,
		behindSeconds: null,
		problem: null
	};
}

/** When the database last took a write: every commit in WAL mode appends to its -wal file. */
function lastWriteAt(databasePath: string): number | null {
	for (const path of [`${databasePath}-wal`, databasePath]) {
		try {
			return statSync(path).mtimeMs;
		} catch {
			// no such file: try the next
		}
	}
	return null;
}

async function readReplicaState(url: string, databasePath: string, now: number): Promise<ReplicaState> {
	const state: ReplicaState = { ...notConfigured(), configured: true, url: redactReplicaUrl(url) };
	try {
		const newest = newestSegment(await listWalSegments(url));
		if (!newest) return state;
		const copiedAt = newest.createdAt.getTime();
		const written = lastWriteAt(databasePath);
		return {
			...state,
			position: positionOf(newest),
			lastReplicatedAt: newest.createdAt,
			ageSeconds: Math.max(0, Math.floor((now - copiedAt) / 1000)),
			// Litestream's times are whole seconds: a replica within the same second is not behind.
			behindSeconds: written === null ? null : Math.max(0, Math.floor((written - copiedAt) / 1000) - 1)
		};
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		return { ...state, problem: message.replaceAll(url, state.url ?? '') };
	}
}
