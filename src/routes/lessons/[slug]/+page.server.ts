import { error } from '@sveltejs/kit';
import { course } from '$lib/server/course';
import { displayPrice, lessonCard } from '$lib/server/catalogue';
import { renderOnly } from '$lib/render-only';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const { lessons, bySlug } = course();
	const lesson = bySlug.get(params.slug);
	if (!lesson) error(404, 'এই নামে কোনো পাঠ নেই');

	const index = lessons.indexOf(lesson);
	const neighbour = (i: number) => (lessons[i] ? { slug: lessons[i].slug, title: lessons[i].title } : null);
	return {
		lesson: lessonCard(lesson),
		// The text is sent only to readers entitled to it; every other answer carries the title and summary alone.
		html: lesson.free ? renderOnly(lesson.html) : null,
		task: lesson.free ? (lesson.task ?? null) : null,
		total: lessons.length,
		previous: neighbour(index - 1),
		next: neighbour(index + 1),
		price: displayPrice()
	};
};
