import { course } from '$lib/server/course';
import { curriculum, displayPrice } from '$lib/server/catalogue';
import { faqItems, shownStudentCount } from '$lib/server/page-content';
import { courseJsonLd, faqJsonLd, salesPageMeta } from '$lib/server/seo';
import { walletOptions } from '$lib/server/payments/wallet/pay-page';
import { renderOnly } from '$lib/render-only';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const { title, subtitle, author, promise, audience, storefront } = course();
	return {
		title,
		subtitle,
		author,
		price: displayPrice(),
		wallets: walletOptions(course().manualPayments.methods),
		meta: salesPageMeta(),
		refundDays: storefront.refundDays ?? null,
		studentCount: shownStudentCount(),
		// Most of the page's data: rendered here, never serialized (see RenderOnly).
		content: renderOnly({
			promise,
			audience,
			lessons: curriculum(),
			authorBio: storefront.authorBio ?? null,
			faq: faqItems(),
			jsonLd: [courseJsonLd(), faqJsonLd()].filter((json) => json !== null)
		}),
		checkoutCancelled: url.searchParams.get('checkout') === 'cancelled'
	};
};
