import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { Id } from '$lib/server/admin/forms';
import { readSendAt } from '$lib/server/broadcasts/form';
import { broadcastPage, recipientCount } from '$lib/server/broadcasts/page';
import { cancelBroadcast, confirmBroadcast, findBroadcast, sendTestBroadcast } from '$lib/server/broadcasts/store';
import { course } from '$lib/server/course';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = ({ params, locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const id = v.safeParse(Id, params.id);
	const page = id.success ? broadcastPage(id.output, locals.user!.email) : undefined;
	if (!page) error(404, 'এই ব্রডকাস্টটি পাওয়া যায়নি।');
	return { ...page, timezone: course().timezone, admin: locals.user!.email };
};

function broadcastOf(event: RequestEvent) {
	const id = v.safeParse(Id, event.params.id);
	return id.success ? findBroadcast(id.output) : undefined;
}

export const actions: Actions = {
	test: (event) => {
		const row = broadcastOf(event);
		if (!row) return fail(404, { message: 'এই ব্রডকাস্টটি পাওয়া যায়নি।' });
		const admin = event.locals.user!.email;
		sendTestBroadcast(row.id, admin, admin);
		return { message: `পরীক্ষার কপি ${admin} ঠিকানায় পাঠানো হচ্ছে।` };
	},
	// The first POST repeats the count and asks to confirm; the second must carry the count the seller saw.
	send: async (event) => {
		const row = broadcastOf(event);
		if (!row) return fail(404, { message: 'এই ব্রডকাস্টটি পাওয়া যায়নি।' });
		if (row.status !== 'draft') return fail(409, { message: 'এই ব্রডকাস্টটি আগেই পাঠানো বা বাতিল হয়েছে।' });
		const fields = Object.fromEntries(await event.request.formData());
		const when = readSendAt(fields.send_at, course().timezone);
		if (!when.ok)
			return fail(400, { message: when.message, sendAt: typeof fields.send_at === 'string' ? fields.send_at : '' });
		const count = recipientCount(row);
		const asked = { confirm: true, count, sendAt: when.text, at: when.at };
		if (fields.confirm !== '1') return asked;
		if (fields.count !== String(count))
			return fail(409, { ...asked, message: 'এর মধ্যে প্রাপকের সংখ্যা বদলেছে। নতুন সংখ্যা দেখে আবার নিশ্চিত করুন।' });
		if (count === 0) return fail(400, { message: 'এই অংশে এখন কোনো প্রাপক নেই।' });
		if (!confirmBroadcast(row.id, event.locals.user!.email, count, when.at ?? undefined))
			return fail(409, { message: 'এই ব্রডকাস্টটি আগেই পাঠানো বা বাতিল হয়েছে।' });
		return { message: when.at ? 'সময় ঠিক হয়েছে: তখন পাঠানো শুরু হবে। তার আগে বাতিল করা যায়।' : 'পাঠানো শুরু হয়েছে।' };
	},
	cancel: (event) => {
		const row = broadcastOf(event);
		if (!row) return fail(404, { message: 'এই ব্রডকাস্টটি পাওয়া যায়নি।' });
		if (!cancelBroadcast(row.id, event.locals.user!.email))
			return fail(409, { message: 'পাঠানো শুরু হয়ে গেছে: এখন আর বাতিল করা যায় না।' });
		return { message: 'ব্রডকাস্ট বাতিল হয়েছে।' };
	}
};
