import type { RequestEvent } from '@sveltejs/kit';

/** Where requests come from when their address cannot be told: they share one rate-limit bucket. */
export const UNKNOWN_ADDRESS = 'unknown';

let warned = false;

/**
 * The visitor's address, as adapter-node tells it (ADDRESS_HEADER, XFF_DEPTH), or UNKNOWN_ADDRESS when it
 * cannot: adapter-node throws when ADDRESS_HEADER is set and a request lacks that header.
 */
export function clientAddress(getClientAddress: RequestEvent['getClientAddress']): string {
	try {
		return getClientAddress() || UNKNOWN_ADDRESS;
	} catch (e) {
		if (!warned) {
			warned = true;
			console.warn(
				`client address: ${e instanceof Error ? e.message : String(e)}; such requests share one rate limit (shown once)`
			);
		}
		return UNKNOWN_ADDRESS;
	}
}
