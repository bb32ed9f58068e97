/**
 * The guide as a book: the course's front matter and one chapter per lesson, parsed once per loaded course.
 * The EPUB and the PDF are both drawn from this, so they always hold the same text.
 */
import type { ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { Course, Lesson } from '../course';
import { bnDigits } from '../../format';
import { sha256 } from '../sha256';

/** Bump when the book's layout changes, so that every cached copy is built again. */
const FORMAT = 1;

export interface Chapter {
	number: number;
	slug: string;
	/** "পাঠ ৩"; empty for the introduction, whose title says what it is. */
	label: string;
	title: string;
	summary: string;
	task: string | undefined;
	/** The lesson's sanitized HTML, parsed: the same text the lesson page shows. */
	body: ChildNode[];
}

export interface Book {
	courseId: string;
	title: string;
	subtitle: string;
	author: string;
	chapters: Chapter[];
	/** Changes whenever a lesson (or the course's title or author) changes: part of every cached copy's name. */
	version: string;
}

/** What of a course goes into its book: plain data, so that it can be handed to the builder process (job.ts). */
export type BookSource = Pick<Course, 'id' | 'title' | 'subtitle' | 'author'> & {
	lessons: Pick<Lesson, 'number' | 'slug' | 'title' | 'summary' | 'task' | 'html'>[];
};

export function bookSource(course: BookSource): BookSource {
	const { id, title, subtitle, author } = course;
	const lessons = course.lessons.map(({ number, slug, title, summary, task, html }) => ({
		number,
		slug,
		title,
		summary,
		task,
		html
	}));
	return { id, title, subtitle, author, lessons };
}

const versions = new WeakMap<BookSource, string>();

/** The book's version, known without parsing it: what the download route needs to find a cached copy. */
export function bookVersion(course: BookSource): string {
	let version = versions.get(course);
	if (version) return version;
	const printed = [
		[FORMAT, course.id, course.title, course.subtitle, course.author],
		...course.lessons.map((l) => [l.slug, l.number, l.title, l.summary, l.task, l.html])
	];
	version = sha256(JSON.stringify(printed)).slice(0, 16);
	versions.set(course, version);
	return version;
}

const books = new WeakMap<BookSource, Book>();

/** The book of a course, built once per loaded course. */
export function bookOf(course: BookSource): Book {
	let book = books.get(course);
	if (book) return book;
	const chapters = course.lessons.map((lesson): Chapter => ({
		number: lesson.number,
		slug: lesson.slug,
		label: lesson.number === 0 ? '' : `পাঠ ${bnDigits(lesson.number)}`,
		title: lesson.title,
		summary: lesson.summary,
		task: lesson.task,
		body: parseDocument(lesson.html).children
	}));
	book = {
		courseId: course.id,
		title: course.title,
		subtitle: course.subtitle,
		author: course.author,
		chapters,
		version: bookVersion(course)
	};
	books.set(course, book);
	return book;
}

/** The chapter file a lesson link points to inside the EPUB. */
export function chapterFile(chapter: Pick<Chapter, 'number'>): string {
	return `chapter-${String(chapter.number).padStart(2, '0')}.xhtml`;
}
