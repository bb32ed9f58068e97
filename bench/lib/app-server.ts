import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchApp, ROOT, type AppProcess } from '../../tests/support/server';

export { freePort, ROOT } from '../../tests/support/server';

/** The store under benchmark: ready when its sales page answers, so the cold start includes a rendered page. */
export type AppServer = AppProcess;

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
