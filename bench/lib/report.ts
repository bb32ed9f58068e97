import type { Measurement } from './measure';

/** One page's line in the table and in latest.json. */
export interface PageLine {
	name: string;
	path: string;
	skipped?: string;
	requestsPerSecond?: number;
	p50Ms?: number;
	p99Ms?: number;
	ratioToPlain?: number;
	/** Requests per second over the bare SvelteKit page's, measured in the same rounds. */
	ratioToBare?: number;
	bytesPerResponse?: number;
	/** Server CPU time per request: steadier than requests per second on a busy machine. */
	cpuMsPerRequest?: number | null;
	/** The plain server's CPU per request over this page's: the ratio as CPU cost, whatever else runs. */
	cpuRatioToPlain?: number | null;
	peakRssMb?: number;
	rounds?: Round[];
}

export type Round = Measurement & { cpuMsPerRequest: number | null };

export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function summarize(
	name: string,
	path: string,
	rounds: Round[],
	peakRssMb: number | undefined,
	plainRps: number,
	bareRps: number
): PageLine {
	const requestsPerSecond = mean(rounds.map((r) => r.requestsPerSecond));
	return {
		name,
		path,
		requestsPerSecond,
		p50Ms: mean(rounds.map((r) => r.p50Ms)),
		// The worse round: a tail latency should not be averaged away.
		p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
		ratioToPlain: requestsPerSecond / plainRps,
		ratioToBare: requestsPerSecond / bareRps,
		bytesPerResponse: mean(rounds.map((r) => r.bytesPerResponse)),
		cpuMsPerRequest: rounds.every((r) => r.cpuMsPerRequest !== null)
			? mean(rounds.map((r) => r.cpuMsPerRequest!))
			: null,
		peakRssMb,
		rounds
	};
}

export function printTable(lines: PageLine[]): void {
	const header = [
		'page',
		'req/s',
		'p50',
		'p99',
		'× plain',
		'vs bare SvelteKit',
		'bytes',
		'CPU/req',
		'× plain CPU',
		'peak RSS'
	];
	const rows = lines.map((l) =>
		l.skipped !== undefined
			? [l.name, `skipped: not available (${l.skipped})`]
			: [
					l.name,
					Math.round(l.requestsPerSecond!).toLocaleString('en'),
					`${l.p50Ms!.toFixed(0)} ms`,
					`${l.p99Ms!.toFixed(0)} ms`,
					l.ratioToPlain!.toFixed(3),
					l.ratioToBare!.toFixed(3),
					Math.round(l.bytesPerResponse!).toLocaleString('en'),
					l.cpuMsPerRequest == null ? '' : `${l.cpuMsPerRequest.toFixed(2)} ms`,
					l.cpuRatioToPlain == null ? '' : l.cpuRatioToPlain.toFixed(3),
					l.peakRssMb === undefined ? '' : `${l.peakRssMb.toFixed(0)} MB`
				]
	);
	const width = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 2).map((r) => r[i].length)));
	const format = (cells: string[]) =>
		cells.length === 2
			? `${cells[0].padEnd(width[0])}  ${cells[1]}`
			: cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
	console.log(format(header));
	for (const row of rows) console.log(format(row));
}
