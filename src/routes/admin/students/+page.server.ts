import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { lessonCount, listStudents, setAllLessonsOpen } from '$lib/server/admin/students';
import { course } from '$lib/server/course';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const query = url.searchParams.get('q')?.slice(0, 200) ?? '';
	const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get('page')) || 1));
	return {
		query,
		page,
		students: listStudents(query, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE),
		pageSize: PAGE_SIZE,
		lessons: lessonCount(),
		timezone: course().timezone
	};
};

const OpenAll = v.object({
	userId: v.pipe(v.string(), v.regex(/^\d{1,12}$/), v.transform(Number)),
	open: v.picklist(['1', '0'])
});

export const actions: Actions = {
	open: async ({ request }) => {
		const form = v.safeParse(OpenAll, Object.fromEntries(await request.formData()));
		if (!form.success) return fail(400, { message: 'অনুরোধটি বোঝা যায়নি।' });
		if (!setAllLessonsOpen(form.output.userId, form.output.open === '1'))
			return fail(404, { message: 'এই শিক্ষার্থীকে পাওয়া যায়নি।' });
		return { message: form.output.open === '1' ? 'সব পাঠ খুলে দেওয়া হয়েছে।' : 'পাঠগুলো আবার সময়সূচি মেনে খুলবে।' };
	}
};
