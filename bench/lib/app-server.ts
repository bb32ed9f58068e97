import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface AppServer {
	origin: string;
	pid: number;
	/** Milliseconds from spawning `node build` to the first answer of the sales page. */
	coldStartMs: number;
	output(): string;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.on('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** `vite build`, as `npm run build` does; skipped when BENCH_SKIP_BUILD=1 and a build exists. */
export function buildApp(): void {
	if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(resolve(ROOT, 'build/index.js'))) return;
	console.error('Building the app…');
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
		cwd: ROOT,
		stdio: 'inherit'
	});
	if (result.status !== 0) throw new Error(`vite build failed with ${result.status}`);
}

/** Starts the production server (`node build`) on the given database and waits for the sales page. */
export async function startApp(databasePath: string, env: Record<string, string> = {}): Promise<AppServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const started = performance.now();
	const child: ChildProcess = spawn(process.execPath, ['build'], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_PATH: databasePath,
			DRIP_INTERVAL_SECONDS: '0',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const exited = new Promise<void>((done) => child.on('exit', () => done()));

	let coldStartMs = 0;
	for (const deadline = Date.now() + 20_000; ;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
		try {
			const res = await fetch(`${origin}/`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			coldStartMs = performance.now() - started;
			break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not answer within 20 s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 5));
	}

	return {
		origin,
		pid: child.pid!,
		coldStartMs,
		output: () => log,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}

/** Resident memory of a process in MB, now and at its peak (Linux /proc; null elsewhere). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
	} catch {
		return null;
	}
}

/**
 * CPU time a process has used so far, in ms (Linux /proc; null elsewhere). Per request, it shows what a
 * page costs even when other work on the machine makes requests per second move.
 */
export function cpuTimeMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which is in parentheses and may hold spaces; utime and stime are 14 and 15.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[11]) + Number(fields[12]);
		return ticks * 10; // USER_HZ is 100 on Linux
	} catch {
		return null;
	}
}
