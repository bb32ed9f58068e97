// The bare SvelteKit app `npm run bench` compares the store with: adapter-node's defaults, nothing added.
// Built from the store's own node_modules, so it runs the same SvelteKit, Svelte, adapter and Vite.
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default { kit: { adapter: adapter() } };
