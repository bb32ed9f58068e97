import { error, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { config } from '$lib/server/env';
import { version } from '$app/environment';
import { course, useCourse } from '$lib/server/course';
import { courseCacheFile, loadCourseCached } from '$lib/server/course/cache';
import { db } from '$lib/server/db';
import { deliverHtml } from '$lib/server/html-delivery';
import { coursePageKey, courseState, lessonPageKey, lessonState } from '$lib/server/page-state';
import { renderOncePerState } from '$lib/server/rendered-pages';
import { overviewPage } from '$lib/server/admin/overview-page';
import { writtenVersion } from '$lib/server/admin/until-written';
import { isOfflineReader, OFFLINE_READER_HEADER } from '$lib/server/offline';
import { startScheduler } from '$lib/server/mail/sender';
import { syncFileBroadcasts } from '$lib/server/broadcasts/store';
import { startupSummary } from '$lib/server/startup-summary';
import { useSalesDayZone } from '$lib/server/admin/sales';
import { noteVisit } from '$lib/server/analytics/visits';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie, validateSessionToken } from '$lib/server/auth/session';

export const init: ServerInit = () => {
	// Any problem here stops the server with a message that names the variable or the course file.
	const settings = config();
	const { course: theCourse } = loadCourseCached(settings.courseDir, courseCacheFile(settings.databasePath), version);
	useCourse(theCourse);
	db();
	// The overview's stored days follow the course's zone; a changed zone recuts them once, here.
	useSalesDayZone(theCourse.timezone);
	// /admin/broadcasts shows the course's broadcast files from the start, before the first pass of the sender.
	syncFileBroadcasts(theCourse.broadcasts);
	startScheduler(settings.dripIntervalSeconds);
	console.log(startupSummary(settings, theCourse));
};

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** SvelteKit's CSRF check, done here so that RFC 8058 one-click unsubscribe (no Origin header) can pass. */
const checkOrigin: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
	if (
		unsafe &&
		FORM_TYPES.includes(type) &&
		request.headers.get('origin') !== url.origin &&
		url.pathname !== '/unsubscribe'
	) {
		return new Response('Cross-site form submissions are forbidden', {
			status: 403,
			headers: { 'content-type': 'text/plain' }
		});
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	return response;
};

/** Fills locals.user from the session cookie on every request, pages and __data.json alike. */
const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const session = validateSessionToken(token);
		if (!session) deleteSessionCookie(event.cookies);
		else {
			event.locals.user = session.user;
			if (session.renewed) setSessionCookie(event.cookies, token, session.expiresAt);
			event.locals.sessionRenewed = session.renewed;
		}
	}
	const response = await resolve(event);
	// What a signed-in reader sees (paid lessons) must never be kept by a shared cache. HTML gets
	// "private, no-cache" with an ETag from htmlDelivery, so a reader's own browser can revalidate it.
	const html = response.headers.get('content-type')?.startsWith('text/html') ?? false;
	if (event.locals.user && !html && !response.headers.has('cache-control')) {
		response.headers.set('cache-control', 'private, no-store');
	}
	// The service worker saves lessons only from answers with this mark, and forgets them all on one without it.
	if (html && isOfflineReader(event.locals.user)) response.headers.set(OFFLINE_READER_HEADER, 'student');
	return response;
};

/** The seller's pages: checked here so the check holds on every /admin route, its __data.json and its exports. */
const guardAdmin: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	if (path === '/admin' || path.startsWith('/admin/')) {
		if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(path)}`);
		if (!event.locals.user.isAdmin) error(404, 'পাতাটি পাওয়া যায়নি');
	}
	return resolve(event);
};

/**
 * A signed-in reader's lesson page and `/course` are kept per state (page-state.ts), the seller's overview per
 * database version and clock (overview-page.ts), the orders list per database version and URL: here only the
 * access check and the state lookup run, and the page's load renders from the very state its key was made of.
 */
const renderOnce: Handle = async ({ event, resolve }) => {
	const { locals, request, route, params } = event;
	// SvelteKit adds Set-Cookie only to what it renders: a renewed session's cookie must not meet a kept page.
	if (!locals.user || locals.sessionRenewed || request.method !== 'GET' || event.isDataRequest) return resolve(event);
	let key: string | null = null;
	let slot: string | undefined;
	if (route.id === '/lessons/[slug]') {
		const lesson = course().bySlug.get(params.slug ?? '');
		if (lesson) {
			locals.lessonState = lessonState(locals.user, lesson);
			key = lessonPageKey(locals.user, lesson, locals.lessonState);
		}
	} else if (route.id === '/course') {
		locals.courseState = courseState(locals.user);
		key = coursePageKey(locals.courseState);
	} else if (route.id === '/admin' && locals.user.isAdmin) {
		const overview = await overviewPage(event.url.searchParams.get('period'));
		locals.overview = overview.view;
		slot = `overview ${locals.user.id} ${overview.view.period}`;
		key = `${slot} ${overview.key}`;
	} else if (route.id === '/admin/orders' && locals.user.isAdmin) {
		// The list is drawn from the database and the URL alone: kept until the next write, by anyone (until-written.ts).
		slot = `orders ${locals.user.id}`;
		key = `${slot} ${writtenVersion()} ${event.url.search}`;
	}
	return key ? renderOncePerState(key, () => resolve(event), slot) : resolve(event);
};

// Routes whose pages every anonymous visitor sees alike: an anonymous GET may get a rendering shared for a
// few seconds (html-delivery.ts). Add a route here only if its page depends on nothing but the URL and cookies.
const SHARED_ROUTES = new Set(['/', '/lessons/[slug]', '/[page=legal]']);

/** ETag and 304, Cache-Control and compression for every HTML answer, once all other handles are done. */
const htmlDelivery: Handle = ({ event, resolve }) =>
	deliverHtml(event.request, () => resolve(event), SHARED_ROUTES.has(event.route.id ?? ''));

/** Counts readers' visits (cookieless, batched) around everything else, so shared renderings count too. */
const countVisits: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	noteVisit(event, response.status);
	return response;
};

export const handle = sequence(
	countVisits,
	htmlDelivery,
	checkOrigin,
	securityHeaders,
	authenticate,
	guardAdmin,
	renderOnce
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) console.error(`${event.request.method} ${event.url.pathname}:`, error);
	return { message: status === 404 ? 'পাতাটি পাওয়া যায়নি' : 'কিছু একটা গোলমাল হয়েছে। একটু পরে আবার চেষ্টা করুন।' };
};
