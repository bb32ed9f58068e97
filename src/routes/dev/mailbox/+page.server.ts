import { error } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import { listMailbox, mailboxViewer } from '$lib/server/mail/mailbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, setHeaders }) => {
	if (!config().demoMail) error(404, 'পাতাটি পাওয়া যায়নি');
	setHeaders({ 'cache-control': 'no-store' });
	const viewer = mailboxViewer(cookies);
	return { mails: listMailbox(viewer), everyone: viewer.everyone };
};
