// Preloaded into a benchmarked server to profile it: BENCH_NODE_OPTIONS="--import ./bench/lib/cpu-profile.js".
// Node 20 refuses --cpu-prof in NODE_OPTIONS, so this starts V8's profiler through node:inspector instead and writes
// a .cpuprofile (Chromium's DevTools opens it) into BENCH_PROFILE_DIR (the working directory) when the server stops.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');

let written = false;
function write() {
	if (written) return;
	written = true;
	// An in-thread session answers synchronously, so this completes inside an exit handler.
	session.post('Profiler.stop', (error, result) => {
		if (error) return;
		const dir = process.env.BENCH_PROFILE_DIR ?? process.cwd();
		writeFileSync(join(dir, `server-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
	});
}
process.prependListener('SIGTERM', write);
process.on('exit', write);
