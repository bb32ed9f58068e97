import { text } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import { handleResendWebhook, MAX_WEBHOOK_BYTES } from '$lib/server/mail/resend-webhook';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	const secret = config().resendWebhookSecret;
	if (!secret) return text('RESEND_WEBHOOK_SECRET is not set', { status: 404 });
	if (Number(request.headers.get('content-length') ?? 0) > MAX_WEBHOOK_BYTES) return text('too large', { status: 413 });
	const body = await request.text();
	if (Buffer.byteLength(body) > MAX_WEBHOOK_BYTES) return text('too large', { status: 413 });
	const { status, message } = handleResendWebhook(body, request.headers, secret);
	return text(message, { status });
};
