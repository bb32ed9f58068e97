import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the parts of Stripe's API the store calls (POST /v1/checkout/sessions and
 * GET /v1/checkout/sessions/:id), answering with the shapes Stripe documents. Tests drive it directly:
 * pay a session, change its amount, or make the API fail or hang.
 */

export type CheckoutSession = {
	id: string;
	object: 'checkout.session';
	after_expiration: {
		recovery: {
			enabled: boolean;
			allow_promotion_codes: boolean;
			expires_at: number | null;
			url: string | null;
		} | null;
	} | null;
	allow_promotion_codes: boolean | null;
	amount_subtotal: number | null;
	amount_total: number | null;
	cancel_url: string | null;
	client_reference_id: string | null;
	consent: { promotions: 'opt_in' | 'opt_out' | null; terms_of_service: null } | null;
	consent_collection: { promotions: 'auto' | 'none' | null; terms_of_service: 'none' } | null;
	created: number;
	currency: string | null;
	customer: string | null;
	customer_details: { email: string | null; name: string | null; phone: null; tax_exempt: 'none' } | null;
	customer_email: string | null;
	discounts: { coupon: string | null; promotion_code: string | null }[];
	expires_at: number;
	livemode: boolean;
	metadata: Record<string, string>;
	mode: 'payment' | 'setup' | 'subscription';
	payment_intent: string | null;
	payment_status: 'paid' | 'unpaid' | 'no_payment_required';
	status: 'open' | 'complete' | 'expired';
	success_url: string | null;
	total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
	url: string | null;
};

export interface RecordedRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	params: Record<string, unknown>;
}

type Params = Record<string, unknown>;
const random = (n: number) => randomBytes(n).toString('hex');

/** Stripe's form encoding (a[b][0][c]=x) back into nested objects; list indexes stay as keys. */
export function parseStripeForm(body: string): Params {
	const out: Params = {};
	for (const [key, value] of new URLSearchParams(body)) {
		const path = key.replace(/\]/g, '').split('[');
		let node = out;
		for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Params;
		node[path[path.length - 1]] = value;
	}
	return out;
}

export class FakeStripe {
	readonly sessions = new Map<string, CheckoutSession>();
	readonly promotionCodes = new Map<string, string>();
	readonly requests: RecordedRequest[] = [];
	/** What the next API calls do instead of answering: a 500, or no answer at all. */
	failure: { kind: 'error' | 'timeout'; remaining: number } | null = null;
	url = '';
	private readonly server = createServer((req, res) => void this.handle(req, res));
	private readonly hanging = new Set<ServerResponse>();

	static async start(): Promise<FakeStripe> {
		const fake = new FakeStripe();
		await new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done));
		fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
		return fake;
	}

	async stop(): Promise<void> {
		for (const res of this.hanging) res.destroy();
		this.server.closeAllConnections();
		await new Promise((done) => this.server.close(done));
	}

	fail(kind: 'error' | 'timeout', times = Infinity): void {
		this.failure = { kind, remaining: times };
	}

	/** A session as Stripe creates it from the store's parameters. */
	createSession(params: Params): CheckoutSession {
		const item = ((params.line_items as Params)?.['0'] ?? {}) as Params;
		const priceData = (item.price_data ?? {}) as Params;
		const amount = Number(priceData.unit_amount ?? 0) * Number(item.quantity ?? 1);
		const id = `cs_test_${random(24)}`;
		const now = Math.floor(Date.now() / 1000);
		const recovery = ((params.after_expiration as Params | undefined)?.recovery ?? {}) as Params;
		const consent = (params.consent_collection ?? {}) as Params;
		const session: CheckoutSession = {
			id,
			object: 'checkout.session',
			after_expiration:
				recovery.enabled === 'true'
					? { recovery: { enabled: true, allow_promotion_codes: false, expires_at: null, url: null } }
					: null,
			allow_promotion_codes: params.allow_promotion_codes === 'true',
			amount_subtotal: amount,
			amount_total: amount,
			cancel_url: (params.cancel_url as string) ?? null,
			client_reference_id: null,
			consent: null,
			consent_collection: consent.promotions
				? { promotions: consent.promotions as 'auto' | 'none', terms_of_service: 'none' }
				: null,
			created: now,
			currency: (priceData.currency as string) ?? null,
			customer: null,
			customer_details: null,
			customer_email: null,
			discounts: [],
			expires_at: params.expires_at ? Number(params.expires_at) : now + 24 * 3600,
			livemode: false,
			metadata: (params.metadata as Record<string, string>) ?? {},
			mode: (params.mode as CheckoutSession['mode']) ?? 'payment',
			payment_intent: null,
			payment_status: 'unpaid',
			status: 'open',
			success_url: (params.success_url as string) ?? null,
			total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
			url: `https://checkout.stripe.com/c/pay/${id}`
		};
		this.sessions.set(id, session);
		return session;
	}

	/** A session created some other way (another product, a hand-made payment link). */
	addSession(overrides: Partial<CheckoutSession> = {}): CheckoutSession {
		const session = this.createSession({
			mode: 'payment',
			line_items: { '0': { quantity: '1', price_data: { currency: 'bdt', unit_amount: '150000' } } }
		});
		Object.assign(session, overrides);
		return session;
	}

	/** A session for the course as the store's checkout creates it, paid by the buyer: what most webhook tests sell. */
	paidCourseSession(
		course: { id: string; currency: string; price: number },
		buyer: { email: string; name?: string }
	): CheckoutSession {
		const s = this.createSession({
			mode: 'payment',
			metadata: { course_id: course.id },
			line_items: {
				'0': {
					quantity: '1',
					price_data: { currency: course.currency.toLowerCase(), unit_amount: String(course.price) }
				}
			}
		});
		return this.pay(s.id, { name: 'ক্রেতা', ...buyer });
	}

	/** The buyer pays on the hosted page; optionally with a promotion code worth `discount`. */
	pay(id: string, buyer: { email: string; name?: string; discount?: number; promotionCode?: string }): CheckoutSession {
		const s = this.get(id);
		const discount = buyer.discount ?? 0;
		s.status = 'complete';
		s.payment_status = 'paid';
		s.payment_intent = `pi_${random(12)}`;
		s.customer_details = { email: buyer.email, name: buyer.name ?? null, phone: null, tax_exempt: 'none' };
		s.total_details = { ...s.total_details, amount_discount: discount };
		s.amount_total = (s.amount_subtotal ?? 0) - discount;
		if (buyer.promotionCode) {
			const promo = `promo_${random(8)}`;
			this.promotionCodes.set(promo, buyer.promotionCode);
			s.discounts = [{ coupon: null, promotion_code: promo }];
		}
		return s;
	}

	/**
	 * The session expires unpaid after the buyer typed their email and, where Checkout asked, answered the promotions
	 * box: as Stripe sends it in checkout.session.expired, with a recovery link when recovery was enabled.
	 */
	expire(id: string, buyer: { email: string; name?: string; promotions?: 'opt_in' | 'opt_out' }): CheckoutSession {
		const s = this.get(id);
		s.status = 'expired';
		s.customer_details = { email: buyer.email, name: buyer.name ?? null, phone: null, tax_exempt: 'none' };
		if (s.consent_collection?.promotions === 'auto')
			s.consent = { promotions: buyer.promotions ?? null, terms_of_service: null };
		const recovery = s.after_expiration?.recovery;
		if (recovery) {
			recovery.url = `https://buy.stripe.com/r/test_${random(12)}`;
			recovery.expires_at = Math.floor(Date.now() / 1000) + 30 * 24 * 3600;
		}
		return s;
	}

	get(id: string): CheckoutSession {
		const s = this.sessions.get(id);
		if (!s) throw new Error(`the fake has no session ${id}`);
		return s;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let body = '';
		for await (const chunk of req) body += String(chunk);
		const url = new URL(req.url ?? '/', this.url);
		const params = req.method === 'GET' ? parseStripeForm(url.search.slice(1)) : parseStripeForm(body);
		this.requests.push({
			method: req.method ?? '',
			path: url.pathname,
			authorization: req.headers.authorization,
			params
		});

		if (this.failure && this.failure.remaining > 0) {
			this.failure.remaining--;
			if (this.failure.kind === 'timeout') {
				this.hanging.add(res);
				return;
			}
			return send(res, 500, apiError('api_error', 'Something went wrong on the fake Stripe.'));
		}
		if (!req.headers.authorization?.startsWith('Bearer sk_test_')) {
			return send(res, 401, apiError('invalid_request_error', 'Invalid API Key provided.'));
		}
		if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
			return send(res, 200, this.createSession(params));
		}
		const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'GET' && match) {
			const session = this.sessions.get(decodeURIComponent(match[1]));
			if (!session) {
				return send(res, 404, {
					error: {
						...apiError('invalid_request_error', `No such checkout.session: '${match[1]}'`).error,
						code: 'resource_missing',
						param: 'session'
					}
				});
			}
			return send(res, 200, this.expand(session, Object.values((params.expand as Params) ?? {})));
		}
		send(res, 404, apiError('invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}).`));
	}

	private expand(session: CheckoutSession, paths: unknown[]): unknown {
		if (!paths.includes('discounts.promotion_code')) return session;
		return {
			...session,
			discounts: session.discounts.map((d) => ({
				...d,
				promotion_code: d.promotion_code
					? {
							id: d.promotion_code,
							object: 'promotion_code',
							code: this.promotionCodes.get(d.promotion_code) ?? '',
							active: true
						}
					: null
			}))
		};
	}
}

function apiError(type: string, message: string): { error: { type: string; message: string } } {
	return { error: { type, message } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${random(8)}` });
	res.end(JSON.stringify(body));
}
