import { course, type Course } from './course';
import { bodyHash, responseOfBody } from './html-delivery';

/**
 * Signed-in readers' pages, rendered once per state (page-state.ts) and kept: rendering a lesson costs
 * about three times what the session, the access check and the state lookup cost together. Only a 200 HTML
 * answer without a Set-Cookie is kept; the key holds everything the page is rendered from, so two readers
 * in the same state get the same bytes and a reader whose state changed gets another key.
 */
interface Rendered {
	status: number;
	headers: [string, string][];
	body: Uint8Array<ArrayBuffer>;
	/** The body's validator, computed once when kept (html-delivery.ts). */
	hash: string;
}

const MAX_ENTRIES = 500;
const MAX_BYTES = 8 * 1024 * 1024;
const kept = new Map<string, Rendered>();
let keptBytes = 0;
/** The key kept last in each slot: a page kept per database version replaces its older renderings, never hit again. */
const slots = new Map<string, string>();
/** The course the kept pages were rendered from: a new one (a restart with new lessons) starts afresh. */
let keptFor: Course | undefined;

function forget(key: string): void {
	const old = kept.get(key);
	if (!old) return;
	kept.delete(key);
	keptBytes -= old.body.length;
}

function remember(key: string, page: Rendered, slot?: string): void {
	if (slot) {
		const previous = slots.get(slot);
		if (previous !== undefined && previous !== key) forget(previous);
		slots.set(slot, key);
	}
	kept.set(key, page);
	keptBytes += page.body.length;
	// Map order is insertion order, and a hit is re-inserted: the first entry is the least recently used.
	for (const oldest of kept.keys()) {
		if (kept.size <= MAX_ENTRIES && keptBytes <= MAX_BYTES) break;
		forget(oldest);
	}
}

function replay(page: Rendered): Response {
	return responseOfBody(page.body, page.hash, { status: page.status, headers: page.headers });
}

/** Forgets every kept page (tests). */
export function clearRenderedPages(): void {
	kept.clear();
	slots.clear();
	keptBytes = 0;
}

/**
 * Answers from the rendering kept under key, or renders, keeps the answer when it may be kept, and answers. A slot
 * names the page a key is a state of: keeping a new state drops the slot's older one.
 */
export async function renderOncePerState(
	key: string,
	render: () => Response | Promise<Response>,
	slot?: string
): Promise<Response> {
	if (keptFor !== course()) {
		clearRenderedPages();
		keptFor = course();
	}
	const hit = kept.get(key);
	if (hit) {
		kept.delete(key);
		kept.set(key, hit);
		return replay(hit);
	}
	const response = await render();
	const type = response.headers.get('content-type') ?? '';
	if (
		response.status !== 200 ||
		!type.startsWith('text/html') ||
		response.headers.has('set-cookie') ||
		response.headers.has('content-encoding') ||
		!response.body
	)
		return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const page: Rendered = { status: response.status, headers: [...response.headers], body, hash: bodyHash(body) };
	remember(key, page, slot);
	return replay(page);
}
