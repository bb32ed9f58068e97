import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { Id } from '$lib/server/admin/forms';
import { findOrder } from '$lib/server/admin/order-page';
import { course } from '$lib/server/course';
import type { PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json.
export const load: PageServerLoad = ({ params, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const id = v.safeParse(Id, params.id);
	const order = id.success ? findOrder(id.output) : undefined;
	if (!order) error(404, 'এই অর্ডারটি পাওয়া যায়নি।');
	return { order, timezone: course().timezone };
};
