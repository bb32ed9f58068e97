/**
 * First-party visit counting, as privacy-first analytics do it: no cookie, no stored address. A visitor is a
 * SHA-256 of a salt that lives one day in memory only, the address and the browser's user agent: counted once a
 * day, and unlinkable once the salt is gone. Counts wait in memory and are written in batches, so a reader's page
 * view adds no write to the database. A visitor's entry source (their first counted visit's, today) is kept in memory
 * beside, so that their signup and checkout count under it (entrySource), as such analytics attribute goals.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { createHash, randomBytes } from 'node:crypto';
import { and, gte, sql } from 'drizzle-orm';
import { clientAddress } from '../client-address';
import { course } from '../course';
import { localDay } from '../drip';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { visitCounts, VISIT_PAGES } from '../db/schema';

export type VisitPage = (typeof VISIT_PAGES)[number];

const FLUSH_EVERY_MS = 30_000;
// A day's visitors kept to count each once: far above this store's traffic, and a flood of made-up agents stops here.
const SEEN_LIMIT = 100_000;
// Crawlers, link previews, uptime checks and scripts: none of them is a reader.
const BOT =
	/bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|headless|lighthouse|curl|wget|python|java\/|go-http|node|monitor|scan/i;

// seen: page and visitor, each counted once; entries: visitor to the source of their first counted visit.
let today = { day: '', salt: Buffer.alloc(0), seen: new Set<string>(), entries: new Map<string, string>() };
const pending = new Map<string, number>();
let timer: NodeJS.Timeout | undefined;

/** Where the visit came from: utm_source, else the referring site's host, else "direct". */
function sourceOf(url: URL, referrer: string | null): string {
	let source = url.searchParams.get('utm_source') ?? '';
	if (!source && referrer) {
		try {
			const from = new URL(referrer);
			// A form sent from a page of this store carries that page's utm_source in its Referer.
			source = from.host === url.host ? (from.searchParams.get('utm_source') ?? '') : from.host;
		} catch {
			// an unreadable referrer says nothing
		}
	}
	return (
		source
			.toLowerCase()
			.replace(/[^a-z0-9.\-_]/g, '')
			.slice(0, 60) || 'direct'
	);
}

/** Which counted page this answer is, or undefined for every other request. */
function pageOf(event: RequestEvent, status: number): VisitPage | undefined {
	const { request, route, params, isDataRequest } = event;
	if (isDataRequest) return undefined;
	if (request.method === 'POST') return route.id === '/checkout' && status === 303 ? 'checkout' : undefined;
	if (request.method !== 'GET' || (status !== 200 && status !== 304)) return undefined;
	if (route.id === '/') return 'sales';
	// A wallet's payment page is where a buyer who pays by wallet starts, as /checkout is for a card.
	if (route.id === '/pay/[method]') return 'checkout';
	if (route.id === '/lessons/[slug]' && course().lessons.some((l) => l.slug === params.slug && l.free)) return 'free';
	return undefined;
}

/** The visitor's hash under today's salt (a new day, a new salt), or undefined for a bot or a request without an agent. */
function visitorOf(event: RequestEvent, now: number): string | undefined {
	const agent = event.request.headers.get('user-agent') ?? '';
	if (!agent || BOT.test(agent)) return undefined;
	const day = localDay(course().timezone, now);
	if (today.day !== day) today = { day, salt: randomBytes(32), seen: new Set(), entries: new Map() };
	return createHash('sha256')
		.update(today.salt)
		.update(`${clientAddress(event.getClientAddress)}\n${agent}`)
		.digest('base64url');
}

/** Counts the request if it is a reader's visit to a counted page; the seller's own visits and bots are left out. */
export function noteVisit(event: RequestEvent, status: number, now = Date.now()): void {
	const page = pageOf(event, status);
	if (!page || event.locals.user?.isAdmin) return;
	const visitor = visitorOf(event, now);
	if (!visitor) return;
	const seen = `${page}\t${visitor}`;
	if (today.seen.has(seen) || today.seen.size >= SEEN_LIMIT) return;
	today.seen.add(seen);
	// Every page a visitor sees today counts under the source they came from first.
	let source = today.entries.get(visitor);
	if (source === undefined) {
		source = sourceOf(event.url, event.request.headers.get('referer'));
		if (today.entries.size < SEEN_LIMIT) today.entries.set(visitor, source);
	}
	const key = `${today.day}\t${page}\t${source}`;
	pending.set(key, (pending.get(key) ?? 0) + 1);
	timer ??= setInterval(flushVisits, FLUSH_EVERY_MS).unref();
}

/**
 * Where this visitor came from today: the source of their first counted visit (the same address and browser), else
 * this request's own utm_source or referrer (its Referer names the page a form was sent from), else "direct".
 */
export function entrySource(event: RequestEvent, now = Date.now()): string {
	const visitor = visitorOf(event, now);
	return (visitor && today.entries.get(visitor)) || sourceOf(event.url, event.request.headers.get('referer'));
}

const addVisitors = preparedFor((db) =>
	db
		.insert(visitCounts)
		.values({
			day: sql.placeholder('day'),
			page: sql.placeholder('page'),
			source: sql.placeholder('source'),
			visitors: sql.placeholder('n')
		})
		.onConflictDoUpdate({
			target: [visitCounts.day, visitCounts.page, visitCounts.source],
			set: { visitors: sql`${visitCounts.visitors} + excluded.visitors` }
		})
		.prepare()
);

/** Writes the counts gathered since the last batch, in one transaction. */
export function flushVisits(): void {
	if (!pending.size) return;
	const batch = [...pending];
	pending.clear();
	writeTransaction(() => {
		for (const [key, n] of batch) {
			const [day, page, source] = key.split('\t');
			addVisitors().run({ day, page, source, n });
		}
	});
}

const visitsSince = preparedFor((db) =>
	db
		.select({ page: visitCounts.page, source: visitCounts.source, visitors: sql<number>`sum(${visitCounts.visitors})` })
		.from(visitCounts)
		.where(and(gte(visitCounts.day, sql.placeholder('day'))))
		.groupBy(visitCounts.page, visitCounts.source)
		.prepare()
);

/** Visitors per page and source from the local day `day` on (the batch in memory written first). */
export function visitsFrom(day: string): { page: VisitPage; source: string; visitors: number }[] {
	flushVisits();
	return visitsSince().all({ day });
}
