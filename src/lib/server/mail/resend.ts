import { Resend } from 'resend';
import { config } from '../env';

// Webhook verification needs no key: without RESEND_API_KEY (the demo mailbox) the client only verifies.
const NO_KEY = 're_webhook_verification_only';

let current: { key: string | undefined; client: Resend } | undefined;

/**
 * The store's one Resend client, for sending (transport.ts) and for verifying webhooks (resend-webhook.ts).
 * The SDK reads RESEND_BASE_URL itself, so tests point it at a local fake.
 */
export function resend(): Resend {
	const { resendApiKey } = config();
	if (!current || current.key !== resendApiKey)
		current = { key: resendApiKey, client: new Resend(resendApiKey ?? NO_KEY) };
	return current.client;
}
