// `npm start` and `npm run serve` serve the store in their own process, so package.json must start that process
// with the V8 settings every other launcher takes from scripts/node-flags.js.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/node-flags.js';

const { scripts } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
	scripts: Record<string, string>;
};

it.each(['start', 'serve'])('npm run %s starts node with the store’s V8 settings', (name) => {
	const words = scripts[name].split(/\s+/);
	expect(words[0]).toBe('node');
	expect(words.slice(1, 1 + SERVER_NODE_FLAGS.length)).toEqual(SERVER_NODE_FLAGS);
	expect(words).toContain('scripts/start.js');
});
