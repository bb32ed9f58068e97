/**
 * A local stand-in for Resend's POST /emails/batch, reached through RESEND_BASE_URL. It keeps idempotency keys as
 * Resend does (same key and body: the first answer again, nothing sent; another body: 409), can answer 429 with
 * retry-after, 5xx, or hang, can enforce a rate window with ratelimit-* headers, and records everything.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
	| { kind: 'ok'; delayMs?: number; headers?: Record<string, string> }
	| { kind: 'status'; status: number; retryAfter?: number; name?: string; delayMs?: number }
	/** Never answers; nothing is processed. */
	| { kind: 'hang' }
	/** Processes the batch (mails delivered, key remembered) but never answers: the answer was lost. */
	| { kind: 'accept-then-hang' };

export interface ReceivedRequest {
	n: number;
	at: number;
	batchKey: string | null;
	/** The X-Entity-Ref-ID of each mail in the batch: the outbox key. */
	keys: string[];
	outcome: 'delivered' | 'replayed' | 'conflict' | 'hung' | number;
	answeredAt?: number;
	/** Time before which the client was told not to call again (retry-after, or ratelimit-reset at 0 remaining). */
	notBefore?: number;
}

export interface SentMail {
	id: string;
	from: string;
	to: string[];
	subject: string;
	html: string;
	text: string;
	headers: Record<string, string>;
}

export interface FakeResend {
	url: string;
	requests: ReceivedRequest[];
	/** Outbox key → how many times a mail with that key was delivered (should always be 1). */
	delivered: Map<string, number>;
	/** Outbox key → the mail as delivered. */
	mails: Map<string, SentMail>;
	/** What to answer to the nth request (0-based); ok by default. */
	policy: (n: number, keys: string[]) => Reply;
	/** When set, at most this many requests a second; beyond that 429 with retry-after, like Resend's default of 2. */
	perSecond?: number;
	/** Called as a request arrives, before it is answered. */
	onRequest?: (request: ReceivedRequest) => void;
	/** Requests that arrived before a time the fake had told the client to wait for. */
	early(): ReceivedRequest[];
	close(): Promise<void>;
}

interface KeyState {
	hash: string;
	done: boolean;
	body?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** The postal address every test store's mail carries (the law asks for one in each mail). */
export const POSTAL_ADDRESS = 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫';

/** The variables that send the store's mail to this fake. */
export function resendEnv(fake: FakeResend): Record<string, string> {
	return { RESEND_API_KEY: 're_test_mail', RESEND_BASE_URL: fake.url, MAIL_POSTAL_ADDRESS: POSTAL_ADDRESS };
}

export async function startFakeResend(): Promise<FakeResend> {
	const keys = new Map<string, KeyState>();
	const windowHits: number[] = [];
	let ids = 0;

	const fake: FakeResend = {
		url: '',
		requests: [],
		delivered: new Map(),
		mails: new Map(),
		policy: () => ({ kind: 'ok' }),
		early: () => fake.requests.filter((r, i) => fake.requests.slice(0, i).some((p) => (p.notBefore ?? 0) > r.at)),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((r) => server.close(() => r()));
		}
	};

	function answer(
		res: ServerResponse,
		request: ReceivedRequest,
		status: number,
		body: unknown,
		headers: Record<string, string> = {}
	): void {
		request.answeredAt = Date.now();
		const retryAfter = Number(headers['retry-after'] ?? NaN);
		const reset = headers['ratelimit-remaining'] === '0' ? Number(headers['ratelimit-reset'] ?? NaN) : NaN;
		const wait = Math.max(Number.isFinite(retryAfter) ? retryAfter : 0, Number.isFinite(reset) ? reset : 0);
		if (wait > 0) {
			request.notBefore = request.answeredAt + wait * 1000;
		}
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	}

	function rateHeaders(now: number): Record<string, string> {
		if (!fake.perSecond) return {};
		while (windowHits.length && windowHits[0] <= now - 1000) windowHits.shift();
		const remaining = Math.max(0, fake.perSecond - windowHits.length);
		const reset = windowHits.length ? Math.max(1, Math.ceil((windowHits[0] + 1000 - now) / 1000)) : 1;
		return {
			'ratelimit-limit': String(fake.perSecond),
			'ratelimit-remaining': String(remaining),
			'ratelimit-reset': String(reset)
		};
	}

	const server = createServer((req, res) => {
		void (async () => {
			const raw = await readBody(req);
			const now = Date.now();
			if (req.method === 'GET' && req.url === '/_fake/stats') {
				// For a fake running in another process (the sender benchmark).
				const duplicates = [...fake.delivered.values()].filter((n) => n > 1).length;
				return res.end(JSON.stringify({ requests: fake.requests.length, delivered: fake.delivered.size, duplicates }));
			}
			if (req.method !== 'POST' || req.url !== '/emails/batch') return res.writeHead(404).end('{}');
			const emails = JSON.parse(raw) as (Omit<SentMail, 'id'> & { headers?: Record<string, string> })[];
			const mailKeys = emails.map((e) => e.headers?.['X-Entity-Ref-ID'] ?? '');
			const batchKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
			const request: ReceivedRequest = { n: fake.requests.length, at: now, batchKey, keys: mailKeys, outcome: 0 };
			fake.requests.push(request);
			fake.onRequest?.(request);
			if (!req.headers.authorization?.startsWith('Bearer ')) {
				request.outcome = 401;
				return answer(res, request, 401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
			}

			if (fake.perSecond) {
				const headers = rateHeaders(now);
				if (headers['ratelimit-remaining'] === '0') {
					request.outcome = 429;
					return answer(
						res,
						request,
						429,
						{ statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' },
						{
							...headers,
							'retry-after': headers['ratelimit-reset']
						}
					);
				}
				windowHits.push(now);
			}

			const reply = fake.policy(request.n, mailKeys);
			if (reply.kind === 'hang') {
				request.outcome = 'hung';
				return;
			}
			if (reply.kind === 'status') {
				if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
				request.outcome = reply.status;
				const name = reply.name ?? (reply.status === 429 ? 'rate_limit_exceeded' : 'internal_server_error');
				const headers: Record<string, string> =
					reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
				return answer(
					res,
					request,
					reply.status,
					{ statusCode: reply.status, name, message: `fake ${reply.status}` },
					headers
				);
			}

			const hash = createHash('sha256').update(raw).digest('hex');
			const known = batchKey ? keys.get(batchKey) : undefined;
			if (known && !known.done) {
				request.outcome = 'conflict';
				return answer(res, request, 409, {
					statusCode: 409,
					name: 'concurrent_idempotent_requests',
					message: 'in progress'
				});
			}
			if (known && known.hash !== hash) {
				request.outcome = 'conflict';
				return answer(res, request, 409, {
					statusCode: 409,
					name: 'invalid_idempotent_request',
					message: 'different payload'
				});
			}
			if (known) {
				request.outcome = 'replayed';
				return answer(res, request, 200, JSON.parse(known.body ?? '{}'), rateHeaders(Date.now()));
			}

			const state: KeyState = { hash, done: false };
			if (batchKey) keys.set(batchKey, state);
			const permissive = req.headers['x-batch-validation'] === 'permissive';
			const data: { id: string }[] = [];
			const errors: { index: number; message: string }[] = [];
			emails.forEach((e, index) => {
				if (permissive && e.to.some((t) => t.endsWith('.invalid')))
					return errors.push({ index, message: 'Invalid `to` field.' });
				const id = `fake-${++ids}`;
				data.push({ id });
				const key = mailKeys[index];
				fake.delivered.set(key, (fake.delivered.get(key) ?? 0) + 1);
				fake.mails.set(key, { ...e, headers: e.headers ?? {}, id });
			});
			const body = JSON.stringify(permissive ? { data, errors } : { data });
			state.done = true;
			state.body = body;
			request.outcome = 'delivered';
			if (reply.kind === 'accept-then-hang') return;
			if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
			answer(res, request, 200, JSON.parse(body), { ...rateHeaders(Date.now()), ...reply.headers });
		})();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return fake;
}
