import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { NAME_MAX_LENGTH, oneLineName, setUserName } from '$lib/server/auth/user';
import { certificateIdOf } from '$lib/server/certificate';
import { course } from '$lib/server/course';
import type { Actions, PageServerLoad } from './$types';

const NameForm = v.object({
	name: v.pipe(
		v.string('সার্টিফিকেটে যে নাম থাকবে সেটি লিখুন।'),
		v.transform(oneLineName),
		v.nonEmpty('সার্টিফিকেটে যে নাম থাকবে সেটি লিখুন।'),
		v.maxLength(NAME_MAX_LENGTH, 'নামটি বেশি লম্বা।')
	)
});

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login?next=%2Fcourse%2Fcomplete');
	const certificateId = certificateIdOf(locals.user.id);
	if (!certificateId) redirect(303, '/course');
	return { certificateId, name: locals.user.name, courseTitle: course().title };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login?next=%2Fcourse%2Fcomplete');
		const certificateId = certificateIdOf(locals.user.id);
		if (!certificateId) redirect(303, '/course');
		const raw = (await request.formData()).get('name');
		const parsed = v.safeParse(NameForm, { name: raw });
		if (!parsed.success)
			return fail(400, { message: parsed.issues[0].message, name: typeof raw === 'string' ? raw : '' });
		setUserName(locals.user.id, parsed.output.name);
		redirect(303, `/certificate/${certificateId}`);
	}
};
