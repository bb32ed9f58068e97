import { error } from '@sveltejs/kit';
import { findCertificate } from '$lib/server/certificate';
import { course } from '$lib/server/course';
import { config } from '$lib/server/env';
import { formatDate } from '$lib/format';
import type { PageServerLoad } from './$types';

// Public by design: the unguessable id is the proof. Only the name, the course and the date are shown.
export const load: PageServerLoad = ({ params, locals }) => {
	const certificate = findCertificate(params.id);
	if (!certificate) error(404, 'এই ঠিকানায় কোনো সার্টিফিকেট নেই');
	const { title, author, timezone } = course();
	return {
		name: certificate.name,
		courseTitle: title,
		author,
		completedOn: formatDate(certificate.completedAt, timezone, true),
		url: `${config().origin}/certificate/${certificate.id}`,
		isOwner: locals.user?.id === certificate.userId
	};
};
