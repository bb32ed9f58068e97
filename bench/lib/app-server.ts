import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, launchApp, ROOT, type AppProcess } from '../../tests/support/server';

export { freePort, ROOT } from '../../tests/support/server';

/** The store under benchmark: ready when its sales page answers, so the cold start includes a rendered page. */
export type AppServer = AppProcess;

/** The bare SvelteKit app (bench/bare): one component, no data, built with the store's own packages. */
const BARE = resolve(ROOT, 'bench/bare');

/** `vite build` in dir, as `npm run build` does; skipped when BENCH_SKIP_BUILD=1 and a build exists. */
function viteBuild(dir: string, what: string): void {
	if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(resolve(dir, 'build/index.js'))) return;
	console.error(`Building ${what}…`);
	// The root's Vite, so that bench/bare resolves every package from the root's node_modules: no second install.
	const result = spawnSync(
		process.execPath,
		[resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: dir,
			stdio: 'inherit'
		}
	);
	if (result.status !== 0) throw new Error(`vite build of ${what} failed with ${result.status}`);
}

export function buildApp(): void {
	viteBuild(ROOT, 'the app');
	viteBuild(BARE, 'the bare SvelteKit app');
}

/** Starts the bare SvelteKit app's `node build` and waits until it listens. */
export async function startBare(): Promise<{ origin: string; pid: number; stop(): void }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['build'], {
		cwd: BARE,
		env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((done, fail) => {
		child.stdout.once('data', () => done());
		child.once('exit', (code) => fail(new Error(`bare SvelteKit app exited with ${code}`)));
	});
	return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}

/** Starts the production server (`node build`) on the given database, with the seller's course, and waits for the sales page. */
export function startApp(databasePath: string, env: Record<string, string> = {}): Promise<AppServer> {
	return launchApp(databasePath, { COURSE_DIR: resolve(ROOT, 'course'), ...env }, '/');
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
