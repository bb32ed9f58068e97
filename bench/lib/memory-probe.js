// Preloaded into the benchmarked server (`--import` in NODE_OPTIONS) when BENCH_MEMORY_FILE is set: every 100 ms
// one line of process.memoryUsage(), so the bench can say what a peak of RSS was made of (V8's heap, or
// memory outside it: Buffers, zlib, WASM, SQLite, ICU). It loads nothing of the store's and adds no request.
// A process the server forks (the ebook builder, which inherits NODE_OPTIONS) writes to FILE.children instead.
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE && `${process.env.BENCH_MEMORY_FILE}${process.send ? '.children' : ''}`;
if (file) {
	setInterval(() => {
		const m = process.memoryUsage();
		appendFileSync(file, `${Date.now()} ${m.rss} ${m.heapTotal} ${m.heapUsed} ${m.external} ${m.arrayBuffers}\n`);
	}, 100).unref();
}
