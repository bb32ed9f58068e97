/**
 * Webhook line: Stripe deliveries that each fulfil a new purchase (order, enrolment, welcome mail), over real
 * HTTP, signed as Stripe signs them. The store runs demo payments, so fulfil() reads the sessions from SQLite.
 * Sales commit in groups (db/group-write.ts); the in-process mail sender runs meanwhile and its writes (the claim of
 * a batch, the demo mailbox, the results) are savepoints in the same groups, so its work is part of this line's cost.
 * `npx tsx bench/webhook.ts` runs this line alone.
 *
 * autocannon builds a request (calls setupRequest) when a client is created and again whenever its headers
 * are set, and sends only the last one built: with setupClient's setHeaders, each of the 50 clients threw
 * one body away, and the shared counter wrapped round, so 25 bodies went out twice and 25 never ("25 missing
 * orders"). So headers are set only in setupRequest, every body is used once (spares, never a wrap), and the
 * line counts what the store recorded against the answers it gave.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { BenchSuite } from '../lib/types';

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 3000);

export const suite: BenchSuite = {
	name: 'stripe webhook',
	async run(ctx) {
		const { db, course } = ctx;
		// The first delivery makes the store generate its demo signing secret; it is refused (400) and changes nothing.
		await fetch(`${ctx.origin}/api/webhooks/stripe`, {
			method: 'POST',
			body: '{}',
			headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=0' }
		});
		const secret = (
			db.prepare("select value from settings where key = 'demo_stripe_webhook_secret'").get() as
				{ value: string } | undefined
		)?.value;
		if (!secret)
			return [{ name: 'webhook: fulfilled deliveries', value: 0, unit: '/s', note: 'skipped: no demo webhook secret' }];

		const run = randomBytes(4).toString('hex');
		const insert = db.prepare(
			`insert into demo_checkout_sessions (id, course_id, amount, currency, status, email, payment_intent_id, completed_at)
			 values (?, ?, ?, ?, 'complete', ?, ?, ?)`
		);
		const bodies: string[] = [];
		// Spares for requests autocannon builds and never sends (a reconnect), so no body is ever sent twice.
		const prepared = DELIVERIES + 4 * ctx.connections;
		db.transaction(() => {
			for (let i = 0; i < prepared; i++) {
				const id = `cs_demo_bench_${run}_${i}`;
				insert.run(
					id,
					course.id,
					course.price,
					course.currency,
					`bench.${run}.${i}@example.com`,
					`pi_demo_bench_${run}_${i}`,
					Date.now()
				);
				bodies.push(
					JSON.stringify({
						id: `evt_bench_${run}_${i}`,
						object: 'event',
						type: 'checkout.session.completed',
						data: { object: { id, object: 'checkout.session', metadata: { course_id: course.id } } }
					})
				);
			}
		})();
		const ordersBefore = (db.prepare('select count(*) as n from orders').get() as { n: number }).n;
		let built = 0;
		const started = Date.now();
		const result = await autocannon({
			url: `${ctx.origin}/api/webhooks/stripe`,
			connections: ctx.connections,
			amount: DELIVERIES,
			method: 'POST',
			requests: [
				{
					setupRequest(request) {
						const body = bodies[built++];
						const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
						return {
							...request,
							body,
							headers: { ...request.headers, 'content-type': 'application/json', 'stripe-signature': signature }
						};
					}
				}
			]
		});
		const elapsed = Date.now() - started;
		const fulfilled = (db.prepare('select count(*) as n from orders').get() as { n: number }).n - ordersBefore;
		const events = (
			db.prepare('select count(*) as n from stripe_events where id like ?').get(`evt_bench_${run}_%`) as { n: number }
		).n;
		const answered2xx = result['2xx'];
		// Every 2xx answer must stand for one recorded event and one order; a gap here is a lost order.
		const lost = answered2xx - Math.min(fulfilled, events);
		return [
			{
				name: 'webhook: fulfilled deliveries',
				value: Math.round((fulfilled / elapsed) * 1000),
				unit: '/s',
				note:
					`${answered2xx} answered 2xx (${built} bodies built for ${DELIVERIES} sends), ${events} events recorded, ` +
					`${fulfilled} orders${lost > 0 ? `, ${lost} LOST` : ''}; p50 ${result.latency.p50} ms, ` +
					`p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors} (timeouts ${result.timeouts})`
			}
		];
	}
};
