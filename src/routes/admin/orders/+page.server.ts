import * as v from 'valibot';
import { listOrders, ORDER_STATUSES } from '$lib/server/admin/orders';
import { renderOnly } from '$lib/render-only';
import { course } from '$lib/server/course';
import { ORDER_METHODS } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

// 25 cards are a phone screenful or three, at half the drawing of 50.
const PAGE_SIZE = 25;

const Filter = v.object({
	q: v.optional(v.pipe(v.string(), v.maxLength(200)), ''),
	status: v.optional(v.picklist(['', ...ORDER_STATUSES]), ''),
	method: v.optional(v.picklist(['', ...ORDER_METHODS]), ''),
	before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number)))
});

// Access is checked for every /admin path in hooks.server.ts. A filter that makes no sense shows every order.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const parsed = v.safeParse(Filter, Object.fromEntries(url.searchParams));
	const filter = parsed.success ? parsed.output : { q: '', status: '' as const, method: '' as const };
	const rows = listOrders(
		{ query: filter.q, status: filter.status, method: filter.method, before: filter.before ?? null },
		PAGE_SIZE
	);
	const orders = rows.slice(0, PAGE_SIZE);
	return {
		filter: { q: filter.q, status: filter.status, method: filter.method },
		// Rendered here, never serialized (see RenderOnly): a tenth of the page's time went to serializing the rows.
		orders: renderOnly(orders),
		next: rows.length > PAGE_SIZE ? orders[orders.length - 1].id : null,
		statuses: ORDER_STATUSES,
		methods: ORDER_METHODS,
		timezone: course().timezone
	};
};
