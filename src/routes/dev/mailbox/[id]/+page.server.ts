import { error } from '@sveltejs/kit';
import { config } from '$lib/server/env';
import { mailboxMessage, mailboxViewer } from '$lib/server/mail/mailbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, params, setHeaders }) => {
	if (!config().demoMail) error(404, 'পাতাটি পাওয়া যায়নি');
	const mail = /^\d{1,12}$/.test(params.id) ? mailboxMessage(Number(params.id), mailboxViewer(cookies)) : undefined;
	if (!mail) error(404, 'এই ইমেইলটি নেই');
	setHeaders({ 'cache-control': 'no-store' });
	// Links in the mail open in the whole window, as they would from a mail app.
	return { mail: { ...mail, html: mail.html.replace('<head>', '<head><base target="_top">') } };
};
