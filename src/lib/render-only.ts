/**
 * A value that a page renders on the server and that never goes to the browser. Pages ship no JavaScript
 * (csr = false), yet SvelteKit still serializes whatever `load` returns, only to throw it away; for a
 * lesson's HTML that costs as much as rendering the page. Wrapped, it crosses the serializer as one
 * character (the transport hook in src/hooks.ts), and if pages ever hydrate it stays on the server.
 */
export class RenderOnly<T> {
	constructor(readonly value: T) {}
}

export function renderOnly<T>(value: T): RenderOnly<T> {
	return new RenderOnly(value);
}
