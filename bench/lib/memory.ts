import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './app-server';

/** What the server's memory was made of at its highest RSS in a stretch of the run, in MB. */
export interface MemoryPeak {
	rssMb: number;
	/** V8's heap as reserved (what RSS holds of it) and as used by live and not yet collected objects. */
	heapTotalMb: number;
	heapUsedMb: number;
	/** Memory V8 knows of outside its heap: Buffers and ArrayBuffers (arrayBuffers), and native objects. */
	externalMb: number;
	arrayBuffersMb: number;
	/** RSS that V8 does not account for: code, malloc'd native memory (zlib, SQLite, ICU, WASM code), the binary. */
	otherMb: number;
}

export const MEMORY_PROBE = resolve(ROOT, 'bench/lib/memory-probe.js');

/** Where memory-probe.js has the processes the server forks (the ebook builder) write their samples. */
export function childrenLogOf(file: string): string {
	return `${file}.children`;
}

const MB = 1024 * 1024;

/** The sample with the highest RSS written by memory-probe.js between from and to (ms since the epoch). */
export function memoryPeak(file: string, from: number, to = Date.now()): MemoryPeak | null {
	if (!existsSync(file)) return null;
	let best: number[] | null = null;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const s = line.split(' ').map(Number);
		if (s.length !== 6 || s[0] < from || s[0] > to) continue;
		if (!best || s[1] > best[1]) best = s;
	}
	if (!best) return null;
	const [, rss, heapTotal, heapUsed, external, arrayBuffers] = best;
	return {
		rssMb: rss / MB,
		heapTotalMb: heapTotal / MB,
		heapUsedMb: heapUsed / MB,
		externalMb: external / MB,
		arrayBuffersMb: arrayBuffers / MB,
		otherMb: (rss - heapTotal - external) / MB
	};
}

/** "312 MB = heap 180 (used 95) + external 12 (buffers 9) + other 120" */
export function describePeak(p: MemoryPeak): string {
	const mb = (n: number) => n.toFixed(0);
	return (
		`${mb(p.rssMb)} MB = heap ${mb(p.heapTotalMb)} (used ${mb(p.heapUsedMb)}) + external ${mb(p.externalMb)} ` +
		`(buffers ${mb(p.arrayBuffersMb)}) + other ${mb(p.otherMb)}`
	);
}
