import { course } from '$lib/server/course';
import { config } from '$lib/server/env';
import { isOfflineReader } from '$lib/server/offline';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const { demoPayments, demoMail } = config();
	return {
		courseTitle: course().title,
		demoPayments,
		demoMail,
		signedIn: locals.user !== null,
		isAdmin: locals.user?.isAdmin ?? false,
		offlineReading: isOfflineReader(locals.user)
	};
};
