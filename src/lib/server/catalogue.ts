import { course, type Lesson } from './course';
import { formatPrice } from '../format';

/** What a page may show of a lesson without being entitled to read it: never its text. */
export interface LessonCard {
	number: number;
	slug: string;
	title: string;
	summary: string;
	free: boolean;
	dripDay: number;
}

export function lessonCard(lesson: Lesson): LessonCard {
	const { number, slug, title, summary, free, dripDay } = lesson;
	return { number, slug, title, summary, free, dripDay };
}

export function curriculum(): LessonCard[] {
	return course().lessons.map(lessonCard);
}

/** The course price as the sales page shows it, e.g. ৳১,৫০০. */
export function displayPrice(): string {
	const { price, currency } = course();
	return formatPrice(price, currency);
}
