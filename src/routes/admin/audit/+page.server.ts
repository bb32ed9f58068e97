import { listAudit } from '$lib/server/audit/log';
import { course } from '$lib/server/course';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

// Access is checked for every /admin path in hooks.server.ts, including __data.json.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const before = Number(url.searchParams.get('before')?.match(/^\d{1,15}$/)?.[0] ?? Number.MAX_SAFE_INTEGER);
	const rows = listAudit({ before, limit: PAGE_SIZE + 1 });
	const entries = rows.slice(0, PAGE_SIZE);
	return {
		entries,
		next: rows.length > PAGE_SIZE ? entries[entries.length - 1].id : null,
		timezone: course().timezone
	};
};
