import { course } from '$lib/server/course';
import { curriculum, displayPrice } from '$lib/server/catalogue';
import { renderOnly } from '$lib/render-only';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const { title, subtitle, author, promise, audience } = course();
	return {
		title,
		subtitle,
		author,
		price: displayPrice(),
		// Most of the page's data: rendered here, never serialized (see RenderOnly).
		content: renderOnly({ promise, audience, lessons: curriculum() }),
		checkoutCancelled: url.searchParams.get('checkout') === 'cancelled'
	};
};
