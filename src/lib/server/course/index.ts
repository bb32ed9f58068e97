/**
 * The course: course/ read and checked once at start-up (course.yaml, the lessons, the email sequences, the legal
 * pages), then held for every request. `npm run course:check` runs the same checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from '../markdown';
import { readLegalPages, type LegalPage } from '../pages';
import { readStorefront, type Storefront } from '../storefront';
import { readManualPayments, type ManualPayments } from '../payments/wallet/config';
import { BROADCASTS_FOLDER, readBroadcastFiles, type BroadcastFile } from '../broadcasts/files';
import { readLessons } from './lessons';
import { courseFileSchema, type Currency } from './schema';
import { readRecoveryMails, type RecoveryMails } from './recovery';
import { readSequences, type Sequence } from './sequences';
import { checkYaml } from './yaml';

export type { Currency } from './schema';

export interface Lesson {
	/** Position in the course, from the file name: 0 for the introduction. */
	number: number;
	slug: string;
	file: string;
	title: string;
	summary: string;
	task: string | undefined;
	/** Sanitized HTML of the body, rendered once at load. */
	html: string;
	free: boolean;
	/** Days after enrolment when the lesson opens. */
	dripDay: number;
}

export interface Course {
	id: string;
	title: string;
	subtitle: string;
	author: string;
	promise: string;
	audience: string[];
	/** In the currency's minor unit (poisha, cents). */
	price: number;
	currency: Currency;
	timezone: string;
	lessons: Lesson[];
	bySlug: ReadonlyMap<string, Lesson>;
	/** The email sequences in course/emails/, checked with the lessons. */
	sequences: Sequence[];
	/** The reminders for unfinished purchases in course/emails/recovery/ (recovery.ts). */
	recovery: RecoveryMails;
	/** The broadcasts in course/emails/broadcasts/ (broadcasts/files.ts). */
	broadcasts: BroadcastFile[];
	/** FAQ, author bio, refund guarantee, student count and the seller's details (storefront.ts). */
	storefront: Storefront;
	/** bKash, Nagad, Rocket and bank transfer (payments/wallet/config.ts). */
	manualPayments: ManualPayments;
	/** The legal pages in course/pages/ (pages.ts). */
	pages: LegalPage[];
}

export interface CourseProblem {
	file: string;
	line: number;
	message: string;
}

export class CourseError extends Error {
	override name = 'CourseError';
	constructor(readonly problems: CourseProblem[]) {
		super(`course/ has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
	}
}

export function formatProblem(p: CourseProblem): string {
	return `${p.file}:${p.line} ${p.message}`;
}

/** Reads and checks course/; returns the course and every problem found (the course is only usable when there are none). */
export function readCourse(dir: string): { course: Course | undefined; problems: CourseProblem[] } {
	const problems: CourseProblem[] = [];
	const configFile = join(dir, 'course.yaml');
	const source = existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined;
	if (source === undefined) problems.push({ file: configFile, line: 1, message: 'the course config is missing' });
	const config = source === undefined ? undefined : checkYaml(source, courseFileSchema, configFile, 0, problems);
	const meta = config?.value ?? {};
	const storefront =
		config &&
		readStorefront(config.doc, source ?? '', (offset, message) =>
			problems.push({ file: configFile, line: config.lineAt(offset), message })
		);
	const manualPayments =
		config &&
		readManualPayments(
			config.doc,
			config.lineAt,
			(offset, message) => problems.push({ file: configFile, line: config.lineAt(offset), message }),
			{ price: meta.price, currency: meta.currency }
		);

	const lessons = readLessons(join(dir, 'lessons'), problems);
	const slugs = new Set(lessons.map((l) => l.slug));
	(meta.free_previews ?? []).forEach((slug, i) => {
		if (!slugs.has(slug))
			problems.push({
				file: configFile,
				line: config?.lineOf(['free_previews', i]) ?? 1,
				message: `free_previews names "${slug}", which is no lesson`
			});
	});
	const dripDays = new Map(Object.entries(meta.drip ?? {}));
	for (const slug of dripDays.keys())
		if (!slugs.has(slug))
			problems.push({
				file: configFile,
				line: config?.lineOf(['drip', slug]) ?? 1,
				message: `drip names "${slug}", which is no lesson`
			});
	if (meta.drip)
		for (const slug of slugs)
			if (!dripDays.has(slug))
				problems.push({
					file: configFile,
					line: 1,
					message: `drip has no day for lesson "${slug}" (${lessons.find((l) => l.slug === slug)?.file})`
				});

	const sequences = readSequences(join(dir, 'emails'), lessons, problems);
	const recovery = readRecoveryMails(join(dir, 'emails', 'recovery'), problems);
	const broadcasts = readBroadcastFiles(join(dir, 'emails', BROADCASTS_FOLDER), problems);
	const pages = readLegalPages(join(dir, 'pages'), storefront?.refundDays !== undefined, problems);

	if (problems.length) return { course: undefined, problems };

	const free = new Set(meta.free_previews);
	const built: Lesson[] = lessons.map((l) => ({
		number: l.number,
		slug: l.slug,
		file: l.file,
		title: l.title!,
		summary: l.summary!,
		task: l.task,
		html: renderMarkdown(l.body),
		free: free.has(l.slug),
		dripDay: dripDays.get(l.slug)!
	}));
	return {
		course: {
			id: meta.id!,
			title: meta.title!,
			subtitle: meta.subtitle ?? '',
			author: meta.author!,
			promise: meta.promise!,
			audience: meta.audience ?? [],
			price: meta.price!,
			currency: meta.currency!,
			timezone: meta.timezone!,
			lessons: built,
			bySlug: new Map(built.map((l) => [l.slug, l])),
			sequences,
			recovery,
			broadcasts,
			storefront: storefront!,
			pages,
			manualPayments: manualPayments!
		},
		problems
	};
}

/** Reads course/ or throws a CourseError that lists every problem as file:line message. */
export function loadCourse(dir: string): Course {
	const { course, problems } = readCourse(dir);
	if (!course) throw new CourseError(problems);
	return course;
}

let current: Course | undefined;

/** The course, loaded once at start-up. */
export function course(): Course {
	if (!current) throw new Error('the course is not loaded yet: call useCourse() at start-up');
	return current;
}

export function useCourse(value: Course): void {
	current = value;
}
