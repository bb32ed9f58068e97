import type { ParamMatcher } from '@sveltejs/kit';
import { isLegalPage } from '$lib/legal-pages';

/** /privacy, /terms, /refund, /contact: the pages in course/pages/. */
export const match: ParamMatcher = (param) => isLegalPage(param);
