/**
 * The transactional mails the outbox names (welcome, login-link, subscribe-confirm). When one is due, its template
 * here gathers what the mail needs, a fresh sign-in or confirmation link and the order, and templates.ts writes it.
 */
import { activeStudent } from '../access';
import { findOrder } from '../payments/fulfil';
import { stripeReminder } from '../payments/recovery';
import { walletReminder } from '../payments/wallet/unfinished';
import { walletTemplates } from '../payments/wallet/mails';
import { confirmLink, signInLink } from './links';
import { confirmMail, signInMail, welcomeMail, type Template } from './templates';

// A purchase mail may be opened hours later on a phone: its sign-in link lives a day, a requested one 15 minutes.
const WELCOME_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** The browser a mail's code is for (the hash of its sign-in cookie), as queued in the outbox. */
function browserOf(params: Record<string, unknown>): string | null {
	return typeof params.browser === 'string' && /^[0-9a-f]{64}$/.test(params.browser) ? params.browser : null;
}

const welcome: Template = ({ to, params }) => {
	const order = typeof params.orderId === 'number' ? findOrder(params.orderId) : undefined;
	// A refund or dispute that arrived first: there is no course to welcome them to.
	if (order && !activeStudent(order.userId)) return null;
	const signIn = signInLink(to, '/course', { ttlMs: WELCOME_LINK_TTL_MS, browserHash: browserOf(params) });
	return welcomeMail({ name: typeof params.name === 'string' ? params.name : null, order, signIn });
};

const loginLink: Template = ({ to, params }) => {
	const next = typeof params.next === 'string' ? params.next : null;
	return signInMail(signInLink(to, next, { browserHash: browserOf(params) }));
};

const subscribeConfirm: Template = ({ to, now }) => {
	const url = confirmLink(to, now);
	return url ? confirmMail(url) : { skip: 'already confirmed' };
};

const templates = new Map<string, Template>([
	['welcome', welcome],
	['login-link', loginLink],
	['subscribe-confirm', subscribeConfirm],
	...walletTemplates,
	['recovery/stripe', stripeReminder],
	['recovery/wallet', walletReminder]
]);

export function transactionalTemplate(name: string): Template | undefined {
	return templates.get(name);
}
