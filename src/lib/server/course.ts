import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { readFrontMatter } from './front-matter';
import { renderMarkdown } from './markdown';
import { readSequences, type Sequence } from './mail/sequence-files';
import { readLegalPages, type LegalPage } from './pages';
import { readStorefront, STOREFRONT_KEYS, type Storefront } from './storefront';
import { readManualPayments, WALLET_KEYS, type ManualPayments } from './payments/wallet/config';

export type Currency = 'BDT' | 'USD';

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
	/** FAQ, author bio, refund guarantee, student count and the seller's details (storefront.ts). */
	storefront: Storefront;
	/** The legal pages in course/pages/ (pages.ts). */
	pages: LegalPage[];
	/** bKash, Nagad, Rocket and bank transfer (payments/wallet/config.ts). */
	manualPayments: ManualPayments;
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

const CURRENCIES: readonly string[] = ['BDT', 'USD'];
const LESSON_FILE = /^(\d{2,3})-(.+)\.md$/;
const LESSON_KEYS = ['title', 'summary', 'task'];
const COURSE_KEYS = [
	'id',
	'title',
	'subtitle',
	'author',
	'promise',
	'audience',
	'price',
	'currency',
	'timezone',
	'free_previews',
	'drip'
];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The node under key in doc's top-level map, if any (yaml types get(key, true) as unknown). */
function nodeOf(doc: Document, key: string): Node | undefined {
	const node: unknown = doc.get(key, true);
	return isNode(node) ? node : undefined;
}

/** Where a YAML document's problems are reported: the file and a line offset inside it. */
class Reporter {
	constructor(
		readonly problems: CourseProblem[],
		readonly file: string,
		readonly lines: LineCounter,
		readonly lineOffset = 0
	) {}

	at(offset: number | undefined, message: string): void {
		const line = offset === undefined ? 1 : this.lines.linePos(offset).line + this.lineOffset;
		this.problems.push({ file: this.file, line, message });
	}

	/** The value of key in doc's top-level map, reporting a missing or non-text value. */
	text(doc: Document, key: string, required: boolean, missingAt = 0): string | undefined {
		const node = nodeOf(doc, key);
		if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) {
			if (required) this.at(missingAt, `missing ${key}`);
			return undefined;
		}
		if (!isScalar(node) || typeof node.value !== 'string') {
			this.at(node.range?.[0], `${key} must be text`);
			return undefined;
		}
		return node.value.trim();
	}

	/** Reports every top-level key that is not one of keys: a misspelt key would otherwise be ignored in silence. */
	unknownKeys(doc: Document, keys: readonly string[]): void {
		if (!isMap(doc.contents)) return;
		for (const pair of doc.contents.items) {
			const key = isScalar(pair.key) ? String(pair.key.value) : '';
			if (!keys.includes(key))
				this.at(isNode(pair.key) ? pair.key.range?.[0] : undefined, `unknown key "${key}": use ${keys.join(', ')}`);
		}
	}
}

function parseYaml(source: string, reporter: Reporter): Document | undefined {
	const doc = parseDocument(source, { lineCounter: reporter.lines, uniqueKeys: true });
	for (const error of doc.errors) reporter.at(error.pos[0], `YAML: ${error.message.split('\n')[0]}`);
	if (doc.errors.length) return undefined;
	if (!isMap(doc.contents)) {
		reporter.at(0, 'expected key: value pairs');
		return undefined;
	}
	return doc;
}

interface LessonFile {
	number: number;
	slug: string;
	file: string;
	title?: string;
	summary?: string;
	task?: string;
	body: string;
}

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
	const reporter = new Reporter(problems, file, new LineCounter(), 1);
	const doc = parseYaml(front.yaml, reporter);
	if (doc) {
		reporter.unknownKeys(doc, LESSON_KEYS);
		lesson.title = reporter.text(doc, 'title', true);
		lesson.summary = reporter.text(doc, 'summary', true);
		lesson.task = reporter.text(doc, 'task', false);
	}
	lesson.body = front.body;
	if (!lesson.body.trim()) {
		problems.push({ file, line: front.bodyLine, message: 'the lesson has no text after its front matter' });
	}
	return lesson;
}

interface CourseFile {
	id?: string;
	title?: string;
	subtitle?: string;
	author?: string;
	promise?: string;
	audience: string[];
	price?: number;
	currency?: Currency;
	timezone: string;
	freePreviews: { slug: string; offset?: number }[];
	drip: { slug: string; day: number; offset?: number }[];
	storefront?: Storefront;
	manualPayments?: ManualPayments;
}

function isTimezone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

function readCourseFile(file: string, problems: CourseProblem[]): CourseFile {
	const result: CourseFile = { audience: [], timezone: 'Asia/Dhaka', freePreviews: [], drip: [] };
	if (!existsSync(file)) {
		problems.push({ file, line: 1, message: 'the course config is missing' });
		return result;
	}
	const reporter = new Reporter(problems, file, new LineCounter());
	const source = readFileSync(file, 'utf8');
	const doc = parseYaml(source, reporter);
	if (!doc) return result;

	reporter.unknownKeys(doc, [...COURSE_KEYS, ...STOREFRONT_KEYS, ...WALLET_KEYS]);
	result.id = reporter.text(doc, 'id', true);
	if (result.id && !SLUG.test(result.id))
		reporter.at(nodeOf(doc, 'id')?.range?.[0], 'id must be ASCII like ai-passive-income');
	result.title = reporter.text(doc, 'title', true);
	result.subtitle = reporter.text(doc, 'subtitle', false);
	result.author = reporter.text(doc, 'author', true);
	result.promise = reporter.text(doc, 'promise', true);

	const audience = nodeOf(doc, 'audience');
	if (audience !== undefined) {
		if (!isSeq(audience)) reporter.at(audience.range?.[0], 'audience must be a list of lines');
		else
			for (const item of audience.items)
				if (isScalar(item) && typeof item.value === 'string') result.audience.push(item.value.trim());
				else reporter.at((item as { range?: number[] }).range?.[0], 'audience lines must be text');
	}

	const price = nodeOf(doc, 'price');
	if (price === undefined) reporter.at(0, 'missing price (in the minor unit: 150000 = ৳১,৫০০)');
	else if (
		!isScalar(price) ||
		typeof price.value !== 'number' ||
		!Number.isSafeInteger(price.value) ||
		price.value <= 0
	)
		reporter.at(
			price.range?.[0],
			`price must be a positive whole number in the minor unit (150000 = ৳১,৫০০), got ${String(isScalar(price) ? price.value : 'a list')}`
		);
	else result.price = price.value;

	const currency = reporter.text(doc, 'currency', true);
	if (currency !== undefined) {
		if (CURRENCIES.includes(currency.toUpperCase())) result.currency = currency.toUpperCase() as Currency;
		else reporter.at(nodeOf(doc, 'currency')?.range?.[0], `unknown currency "${currency}": use BDT or USD`);
	}

	const timezone = reporter.text(doc, 'timezone', false);
	if (timezone !== undefined) {
		if (isTimezone(timezone)) result.timezone = timezone;
		else reporter.at(nodeOf(doc, 'timezone')?.range?.[0], `unknown timezone "${timezone}", e.g. Asia/Dhaka`);
	}

	const previews = nodeOf(doc, 'free_previews');
	if (previews !== undefined && !isSeq(previews))
		reporter.at(previews.range?.[0], 'free_previews must be a list of lesson slugs');
	else if (previews)
		for (const item of previews.items) {
			if (isScalar(item) && typeof item.value === 'string')
				result.freePreviews.push({ slug: item.value, offset: item.range?.[0] });
			else reporter.at((item as { range?: number[] }).range?.[0], 'free_previews entries must be lesson slugs');
		}

	const drip = nodeOf(doc, 'drip');
	if (drip === undefined) reporter.at(0, 'missing drip: the day each lesson opens after enrolment');
	else if (!isMap(drip)) reporter.at(drip.range?.[0], 'drip must map each lesson slug to a day, e.g. introduction: 0');
	else
		for (const pair of drip.items) {
			const key = isScalar(pair.key) ? String(pair.key.value) : '';
			const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
			const value = isScalar(pair.value) ? pair.value.value : undefined;
			if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 3650)
				reporter.at(offset, `drip day for "${key}" must be a whole number of days from 0, got ${String(value)}`);
			else result.drip.push({ slug: key, day: value, offset });
		}
	result.storefront = readStorefront(doc, source, (offset, message) => reporter.at(offset, message));
	result.manualPayments = readManualPayments(
		doc,
		(o) => (o === undefined ? 1 : reporter.lines.linePos(o).line),
		(o, m) => reporter.at(o, m),
		result
	);
	return result;
}

/** Reads and checks course/; returns the course and every problem found (the course is only usable when there are none). */
export function readCourse(dir: string): { course: Course | undefined; problems: CourseProblem[] } {
	const problems: CourseProblem[] = [];
	const configFile = join(dir, 'course.yaml');
	const meta = readCourseFile(configFile, problems);
	const lessonsDir = join(dir, 'lessons');
	const files = existsSync(lessonsDir)
		? readdirSync(lessonsDir)
				.filter((f) => f.endsWith('.md'))
				.sort()
		: [];
	if (!files.length)
		problems.push({ file: lessonsDir, line: 1, message: 'no lessons: add course/lessons/00-introduction.md' });

	const lessons: LessonFile[] = [];
	const slugs = new Map<string, string>();
	const numbers = new Map<number, string>();
	for (const name of files) {
		const lesson = readLesson(lessonsDir, name, problems);
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

	const configLines = new LineCounter();
	const configSource = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
	parseDocument(configSource, { lineCounter: configLines });
	const lineOf = (offset?: number): number => (offset === undefined ? 1 : configLines.linePos(offset).line);

	for (const entry of meta.freePreviews)
		if (!slugs.has(entry.slug))
			problems.push({
				file: configFile,
				line: lineOf(entry.offset),
				message: `free_previews names "${entry.slug}", which is no lesson`
			});
	const dripDays = new Map<string, number>();
	for (const entry of meta.drip) {
		if (!slugs.has(entry.slug))
			problems.push({
				file: configFile,
				line: lineOf(entry.offset),
				message: `drip names "${entry.slug}", which is no lesson`
			});
		dripDays.set(entry.slug, entry.day);
	}
	if (meta.drip.length || problems.every((p) => !p.message.startsWith('missing drip')))
		for (const lesson of lessons)
			if (!dripDays.has(lesson.slug) && slugs.get(lesson.slug) === lesson.file)
				problems.push({
					file: configFile,
					line: 1,
					message: `drip has no day for lesson "${lesson.slug}" (${lesson.file})`
				});

	const sequences = readSequences(join(dir, 'emails'), lessons, problems);
	const pages = readLegalPages(join(dir, 'pages'), meta.storefront?.refundDays !== undefined, problems);

	if (problems.length) return { course: undefined, problems };

	const free = new Set(meta.freePreviews.map((p) => p.slug));
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
			audience: meta.audience,
			price: meta.price!,
			currency: meta.currency!,
			timezone: meta.timezone,
			lessons: built,
			bySlug: new Map(built.map((l) => [l.slug, l])),
			sequences,
			storefront: meta.storefront!,
			pages,
			manualPayments: meta.manualPayments!
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
