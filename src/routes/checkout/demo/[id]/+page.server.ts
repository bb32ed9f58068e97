import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { course } from '$lib/server/course';
import { config } from '$lib/server/env';
import { rememberDemoAddress } from '$lib/server/mail/mailbox';
import { findDemoSession } from '$lib/server/payments/demo';
import { DemoPaymentForm, leaveDemoCheckout, payDemoCheckout } from '$lib/server/payments/demo-pay';
import { formatPrice } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

// With a real Stripe key none of the demo checkout exists.
function demoOnly(): void {
	if (!config().demoPayments) error(404, 'পাতাটি পাওয়া যায়নি');
}

const success = (id: string) => `/checkout/success?session_id=${encodeURIComponent(id)}`;

export const load: PageServerLoad = ({ params }) => {
	demoOnly();
	const session = findDemoSession(params.id);
	if (!session) error(404, 'এই ডেমো চেকআউটটি পাওয়া যায়নি। প্রথম পাতা থেকে আবার কেনা শুরু করুন।');
	if (session.status === 'complete') redirect(303, success(session.id));
	return { title: course().title, price: formatPrice(session.amount, session.currency) };
};

export const actions: Actions = {
	default: async ({ cookies, params, request }) => {
		demoOnly();
		const form = await request.formData().catch(() => new FormData());
		const field = (name: string): string => {
			const value = form.get(name);
			return typeof value === 'string' ? value : '';
		};
		const input = { email: field('email'), name: field('name') };
		const parsed = v.safeParse(DemoPaymentForm, input);
		if (!parsed.success) return fail(400, { ...input, message: parsed.issues[0].message });
		rememberDemoAddress(cookies, parsed.output.email);

		// The second button: leave unpaid, as a Stripe checkout that expires (the reminder flow).
		if (field('leave') === 'yes') {
			const left = await leaveDemoCheckout(
				params.id,
				parsed.output.email,
				parsed.output.name || null,
				field('promotions') === 'yes'
			);
			if (left === 'not-found') error(404, 'এই ডেমো চেকআউটটি পাওয়া যায়নি। প্রথম পাতা থেকে আবার কেনা শুরু করুন।');
			redirect(303, '/checkout/demo/left');
		}
		const paid = await payDemoCheckout(params.id, parsed.output.email, parsed.output.name || null);
		if (paid === 'not-found') error(404, 'এই ডেমো চেকআউটটি পাওয়া যায়নি। প্রথম পাতা থেকে আবার কেনা শুরু করুন।');
		redirect(303, success(params.id));
	}
};
