import { error, redirect } from '@sveltejs/kit';
import { lessonAccess } from '$lib/server/access';
import { displayPrice, lessonCard } from '$lib/server/catalogue';
import { course } from '$lib/server/course';
import { formatOpensOn } from '$lib/server/drip';
import { lessonMeta } from '$lib/server/seo';
import { wakeSender } from '$lib/server/mail/sender';
import { lessonState } from '$lib/server/page-state';
import { markLesson } from '$lib/server/progress';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { renderOnly } from '$lib/render-only';

type Guarded = Pick<RequestEvent, 'params' | 'locals' | 'url'>;

function findLesson({ params }: Guarded) {
	const lesson = course().bySlug.get(params.slug);
	if (!lesson) error(404, 'এই নামে কোনো পাঠ নেই');
	return lesson;
}

/** Answers every reader who is not entitled to the lesson page; returns the lesson and the reader's access. */
function guard(event: Guarded, lesson = findLesson(event), access = lessonAccess(event.locals.user, lesson)) {
	const { url } = event;
	if (access.kind === 'sign-in') redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (access.kind === 'buy') {
		const message = `«${lesson.title}» পড়তে কোর্সটি কিনুন: কিনলেই এই পাঠ আর বাকি সব পাঠ ধাপে ধাপে খুলে যাবে।`;
		error(403, { message, reason: 'buy', price: displayPrice() });
	}
	if (access.kind === 'ended') error(403, { message: 'এই অ্যাকাউন্টে কোর্সটি আর খোলা নেই।', reason: 'ended' });
	return { lesson, access };
}

export const load: PageServerLoad = (event) => {
	const found = findLesson(event);
	// The state the page is kept under when hooks.server.ts looked it up; it records the view (for another device).
	const state = event.locals.lessonState ?? lessonState(event.locals.user, found);
	const { lesson, access } = guard(event, found, state.access);
	const { lessons } = course();
	const index = lessons.indexOf(lesson);
	const neighbour = (i: number) => (lessons[i] ? { slug: lessons[i].slug, title: lessons[i].title } : null);
	const readable = access.kind === 'read';
	// The service worker may keep this page for offline reading (src/service-worker.ts).
	if (readable && access.student) event.setHeaders({ 'x-offline-save': 'lesson' });
	return {
		lesson: lessonCard(lesson),
		meta: lessonMeta(lesson),
		// The text is sent only to readers entitled to it; every other answer carries the title and summary alone.
		html: readable ? renderOnly(lesson.html) : null,
		task: readable ? (lesson.task ?? null) : null,
		opensOn: access.kind === 'opens' ? formatOpensOn(access.opensAt) : null,
		tracked: readable && access.student,
		done: state.done,
		showBuy: lesson.free && !(readable && access.student),
		total: lessons.length,
		previous: neighbour(index - 1),
		next: neighbour(index + 1),
		price: displayPrice()
	};
};

function mark(done: boolean) {
	return (event: RequestEvent) => {
		const { lesson, access } = guard(event);
		const user = event.locals.user;
		if (access.kind === 'opens') error(403, 'এই পাঠ এখনো খোলেনি।');
		if (access.kind !== 'read' || !access.student || !user) error(403, 'কোর্সের শিক্ষার্থীরাই পাঠের অগ্রগতি রাখতে পারেন।');
		const { courseComplete } = markLesson(user.id, lesson.slug, done);
		if (courseComplete) wakeSender();
		redirect(303, done && courseComplete ? '/course/complete' : `/lessons/${lesson.slug}#progress`);
	};
}

export const actions: Actions = { done: mark(true), undo: mark(false) };
