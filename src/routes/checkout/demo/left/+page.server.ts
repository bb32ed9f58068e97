import { error } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import type { PageServerLoad } from './$types';

// Where the demo checkout's "leave without buying" lands: the demo's stand-in for Stripe's expiry.
export const load: PageServerLoad = () => {
	if (!config().demoPayments) error(404, 'পাতাটি পাওয়া যায়নি');
};
