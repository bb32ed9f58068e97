/**
 * A value that a page renders on the server and that never goes to the browser. Pages ship no JavaScript
 * (csr = false), yet SvelteKit still serializes whatever `load` returns, only to throw it away; for a
 * lesson's HTML that took a fifth of the page's time. Wrapped, it crosses the serializer as one character
 * (the transport hook in src/hooks.ts), so it is in no __data.json either. A page that turns csr on must
 * not use it: the browser would get nothing to hydrate with.
 */
export class RenderOnly<T> {
	constructor(readonly value: T) {}
}

export function renderOnly<T>(value: T): RenderOnly<T> {
	return new RenderOnly(value);
}
