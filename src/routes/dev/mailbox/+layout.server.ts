import { error } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import type { LayoutServerLoad } from './$types';

// The demo mailbox exists only while mail is not really sent.
export const load: LayoutServerLoad = () => {
	if (!config().demoMail) error(404, 'পাতাটি পাওয়া যায়নি');
};
