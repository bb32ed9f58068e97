/** The pages every shop must have: course/pages/<slug>.md, served at /<slug> and linked from every footer. */
export const LEGAL_PAGES = ['privacy', 'terms', 'refund', 'contact'] as const;
export type LegalPageSlug = (typeof LEGAL_PAGES)[number];

export function isLegalPage(slug: string): slug is LegalPageSlug {
	return (LEGAL_PAGES as readonly string[]).includes(slug);
}
