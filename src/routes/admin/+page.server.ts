import { overviewPage } from '$lib/server/admin/overview-page';
import { renderOnly } from '$lib/render-only';
import type { PageServerLoad } from './$types';

// Access is checked for every /admin path in hooks.server.ts, including __data.json and exports.
export const load: PageServerLoad = async ({ url, locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	// Read by hooks.server.ts when the page may be kept; rendered here only, never serialized (see RenderOnly).
	const view = locals.overview ?? (await overviewPage(url.searchParams.get('period'))).view;
	return { view: renderOnly(view) };
};
