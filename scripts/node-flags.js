// How V8 sizes its heap for the store, whoever starts it: `npm start` and `npm run serve` (package.json names these
// flags, and tests/scripts/node-flags.test.ts checks it does), Litestream, the tests, the bench. By default V8 sizes
// it for the machine: with a heap limit of 2 GB or more (any host with 16 GB of RAM) it lets the old generation grow to four times what survived its last full collection before collecting again, and
// under 50 connections the benchmark's server reached 250-450 MB of RSS around a live heap of about 20 MB. A 512 MB
// limit (25 times the live heap) makes V8 grow it by 1.3-2 times instead, as on a small host; 8 MB semi-spaces halve
// the young generation (32 MB), which only ever holds a few requests' garbage.
export const SERVER_NODE_FLAGS = ['--max-old-space-size=512', '--max-semi-space-size=8'];
