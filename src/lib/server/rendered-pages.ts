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
/** The course the kept pages were rendered from: a new one (a restart with new lessons) starts afresh. */
let keptFor: Course | undefined;

function remember(key: string, page: Rendered): void {
	kept.set(key, page);
	keptBytes += page.body.length;
	// Map order is insertion order, and a hit is re-inserted: the first entry is the least recently used.
	for (const [oldest, old] of kept) {
		if (kept.size <= MAX_ENTRIES && keptBytes <= MAX_BYTES) break;
		kept.delete(oldest);
		keptBytes -= old.body.length;
	}
}

function replay(page: Rendered): Response {
	return responseOfBody(page.body, page.hash, { status: page.status, headers: page.headers });
}

/** Forgets every kept page (tests). */
export function clearRenderedPages(): void {
	kept.clear();
	keptBytes = 0;
}

/** Answers from the rendering kept under key, or renders, keeps the answer when it may be kept, and answers. */
export async function renderOncePerState(key: string, render: () => Response | Promise<Response>): Promise<Response> {
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
	remember(key, page);
	return replay(page);
}
