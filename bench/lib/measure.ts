import autocannon from 'autocannon';
import { request } from 'node:http';

/** What a browser on a phone sends; the bytes on the wire are measured with it. */
export const BROWSER_HEADERS = { 'accept-encoding': 'gzip, br', accept: 'text/html' };

export interface Measurement {
	requestsPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	/** Response bytes read per request, headers included. */
	bytesPerResponse: number;
	requests: number;
	non2xx: number;
	errors: number;
}

export interface LoadOptions {
	connections: number;
	seconds: number;
	headers?: Record<string, string>;
	method?: 'GET' | 'POST';
	body?: string | Buffer;
}

/** Loads one URL with autocannon (as a library) for a while and sums it up. */
export async function load(
	url: string,
	{ connections, seconds, headers = {}, method = 'GET', body }: LoadOptions
): Promise<Measurement> {
	const result = await autocannon({
		url,
		connections,
		duration: seconds,
		method,
		body,
		headers: { ...BROWSER_HEADERS, ...headers }
	});
	const requests = result.requests.total;
	return {
		requestsPerSecond: requests / result.duration,
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		bytesPerResponse: requests ? result.throughput.total / requests : 0,
		requests,
		non2xx: result.non2xx,
		errors: result.errors
	};
}

export interface RawResponse {
	status: number;
	/** Header pairs as received, for replaying them byte for byte. */
	rawHeaders: string[];
	body: Buffer;
}

/** One GET, with the body as it came over the wire (not decompressed). */
export function getRaw(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
	return new Promise((done, fail) => {
		const req = request(url, { headers: { ...BROWSER_HEADERS, ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				done({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) })
			);
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end();
	});
}
