import { error } from '@sveltejs/kit';
import { renderOnly } from '$lib/render-only';
import { legalPage } from '$lib/server/page-content';
import { isLegalPage } from '$lib/legal-pages';
import { legalPageMeta } from '$lib/server/seo';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const page = isLegalPage(params.page) ? legalPage(params.page) : undefined;
	if (!page) error(404, 'পাতাটি পাওয়া যায়নি');
	return {
		title: page.title,
		meta: legalPageMeta(params.page, page.title, page.summary),
		html: renderOnly(page.html)
	};
};
