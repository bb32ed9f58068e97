/** The lessons: course/lessons/NN-slug.md, each with its front matter (title, summary, task) and Markdown text. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFrontMatter } from '../front-matter';
import type { CourseProblem } from './index';
import { lessonFrontMatterSchema, SLUG } from './schema';
import { checkYaml } from './yaml';

export interface LessonFile {
	number: number;
	slug: string;
	file: string;
	title?: string;
	summary?: string;
	task?: string;
	body: string;
}

const LESSON_FILE = /^(\d{2,3})-(.+)\.md$/;

function readLesson(dir: string, name: string, problems: CourseProblem[]): LessonFile | undefined {
	const file = join(dir, name);
	const match = LESSON_FILE.exec(name);
	if (!match) {
		problems.push({ file, line: 1, message: 'lesson files are named NN-slug.md, e.g. 03-first-steps.md' });
		return undefined;
	}
	const slug = match[2];
	const lesson: LessonFile = { number: Number(match[1]), slug, file, body: '' };
	if (!SLUG.test(slug)) {
		problems.push({
			file,
			line: 1,
			message: `slug "${slug}" must be ASCII: lower-case letters a-z, digits and single hyphens (it is the lesson's URL)`
		});
	}
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({
			file,
			line: 1,
			message: 'missing front matter: start the file with ---, title: ..., summary: ..., ---'
		});
		return lesson;
	}
	// 1: the front matter starts on the line after the opening ---.
	const checked = checkYaml(front.yaml, lessonFrontMatterSchema, file, 1, problems);
	if (checked) Object.assign(lesson, checked.value);
	lesson.body = front.body;
	if (!lesson.body.trim()) {
		problems.push({ file, line: front.bodyLine, message: 'the lesson has no text after its front matter' });
	}
	return lesson;
}

/** Reads every lesson in dir (course/lessons), reporting bad names, duplicates and front matter. */
export function readLessons(dir: string, problems: CourseProblem[]): LessonFile[] {
	const files = existsSync(dir)
		? readdirSync(dir)
				.filter((f) => f.endsWith('.md'))
				.sort()
		: [];
	if (!files.length) problems.push({ file: dir, line: 1, message: 'no lessons: add course/lessons/00-introduction.md' });

	const lessons: LessonFile[] = [];
	const slugs = new Map<string, string>();
	const numbers = new Map<number, string>();
	for (const name of files) {
		const lesson = readLesson(dir, name, problems);
		if (!lesson) continue;
		const sameSlug = slugs.get(lesson.slug);
		if (sameSlug)
			problems.push({ file: lesson.file, line: 1, message: `duplicate slug "${lesson.slug}" (also ${sameSlug})` });
		const sameNumber = numbers.get(lesson.number);
		if (sameNumber)
			problems.push({
				file: lesson.file,
				line: 1,
				message: `duplicate lesson number ${lesson.number} (also ${sameNumber})`
			});
		slugs.set(lesson.slug, lesson.file);
		numbers.set(lesson.number, lesson.file);
		lessons.push(lesson);
	}
	return lessons;
}
