import { course } from '$lib/server/course';
import { curriculum, displayPrice } from '$lib/server/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const { title, subtitle, author, promise, audience } = course();
	return {
		title,
		subtitle,
		author,
		promise,
		audience,
		price: displayPrice(),
		lessons: curriculum(),
		checkoutCancelled: url.searchParams.get('checkout') === 'cancelled'
	};
};
