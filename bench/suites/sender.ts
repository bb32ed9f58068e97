/**
 * Sender lines: bench/sender.ts runs in its own process (its own database and fake Resend API), and its
 * figures are folded into the benchmark report.
 */
import { spawnSync } from 'node:child_process';
import type { BenchSuite, SuiteLine } from '../lib/types';

const LINES: [RegExp, string][] = [
	[/composed \+ claimed \+ recorded.*?([\d,]+) mails\/s/, 'sender: composed + claimed + recorded'],
	[/drain: composed \+ claimed \+ sent \+ recorded.*?([\d,]+) mails\/s/, 'sender: full drain through the fake'],
	[/drain:.*?(\d+) ms for/, 'sender: time to drain the due mails']
];

export const suite: BenchSuite = {
	name: 'mail sender',
	run() {
		const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bench/sender.ts'], {
			encoding: 'utf8',
			env: process.env
		});
		if (run.status !== 0)
			return Promise.resolve([{ name: 'sender', value: 0, unit: '', note: `failed: ${run.stderr.slice(-300)}` }]);
		const lines: SuiteLine[] = [];
		for (const [pattern, name] of LINES) {
			const match = pattern.exec(run.stdout);
			if (match)
				lines.push({ name, value: Number(match[1].replace(/,/g, '')), unit: name.includes('time') ? 'ms' : 'mails/s' });
		}
		return Promise.resolve(lines);
	}
};
