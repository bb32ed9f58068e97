import { json } from '@sveltejs/kit';
import { receiveWalletSms } from '$lib/server/payments/wallet/inbox';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	const outcome = await receiveWalletSms(request);
	if (outcome.status === 401) console.warn(`wallet sms refused: ${outcome.note}`);
	return json({ note: outcome.note }, { status: outcome.status });
};
