/**
 * Composes a sequence step at send time: reads the run, the subscriber or the student's enrolment and progress,
 * applies the step's conditions (skip, wait), and renders the mail with its unsubscribe link and headers.
 */
import { course, type Course } from '../course';
import { stmt } from '../db/statements';
import { lessonOpensAt } from '../drip';
import { renderMarkdown } from '../markdown';
import { displayPrice } from '../catalogue';
import { oneLine, type MailBody } from './layout';
import { certificateUrl, firstLessonUrl, lessonUrl, marketingParts, siteUrl } from './links';
import type { ButtonLink, Condition, SequenceStep } from './sequence-files';
import { hasPurchased } from './sequences';
import { compose, type Template, type TemplateResult } from './templates';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a mail waiting for progress (course_done…) is looked at again, unless recheckWaitingMails is called. */
export const WAIT_RECHECK_MS = 6 * 60 * 60 * 1000;

interface Run {
	id: number;
	sequence: string;
	email: string;
	user_id: number | null;
	started_at: number;
	status: string;
	stopped_reason: string | null;
}

interface Student {
	userId: number;
	name: string | null;
	enrolledAt: number;
	allOpen: boolean;
	/** lesson slug → progress */
	progress: Map<string, { last: number; done: boolean }>;
	/** The last time the student opened anything, or the start of the run. */
	lastActivity: number;
}

function variables(step: SequenceStep): Record<string, string> {
	const { title } = course();
	const lesson = step.lessonOpens ? course().bySlug.get(step.lessonOpens) : undefined;
	return {
		course_title: title,
		course_url: siteUrl('/'),
		first_lesson_url: firstLessonUrl(),
		price: displayPrice(),
		my_course_url: siteUrl('/course'),
		lesson_title: lesson?.title ?? '',
		lesson_url: lesson ? lessonUrl(lesson.slug) : '',
		// Through sign-in: a reader who is signed out on this device signs in and then gets the file.
		ebook_url: siteUrl('/login?next=/course/ebook.epub'),
		ebook_pdf_url: siteUrl('/login?next=/course/ebook.pdf')
	};
}

function fill(source: string, vars: Record<string, string>): string {
	return source.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (all, name: string) => vars[name] ?? all);
}

/** Plain text from the step's Markdown: links spelled out, emphasis and heading marks dropped. */
export function markdownToText(markdown: string): string {
	return markdown
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
		.replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, '$1 ($2)')
		.replace(/^#{1,6}\s+/gm, '')
		.replace(/(\*\*|__)(.+?)\1/g, '$2')
		.replace(/(^|[^*])\*([^*\n]+)\*/g, '$1$2')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

interface Rendered {
	subject: string;
	html: string;
	text: string;
	buttonLabel: string;
}

const rendered = new WeakMap<SequenceStep, Rendered>();

/** The step's subject and body with every link filled in, rendered once per process (hot path). */
function renderStep(step: SequenceStep): Rendered {
	let r = rendered.get(step);
	if (!r) {
		const vars = variables(step);
		const markdown = fill(step.markdown, vars);
		r = {
			subject: oneLine(fill(step.subject, vars)),
			html: renderMarkdown(markdown),
			text: markdownToText(markdown),
			buttonLabel: oneLine(fill(step.button?.label ?? '', vars))
		};
		rendered.set(step, r);
	}
	return r;
}

function readStudent(run: Run, c: Course): Student | undefined {
	if (run.user_id === null) return undefined;
	const row = stmt(
		`select e.status, e.enrolled_at, e.all_lessons_open, u.name from enrolments e join users u on u.id = e.user_id where e.user_id = ?`
	).get(run.user_id) as
		{ status: string; enrolled_at: number; all_lessons_open: number; name: string | null } | undefined;
	if (!row || row.status !== 'active') return undefined;
	const rows = stmt('select lesson_slug, last_viewed_at, completed_at from progress where user_id = ?').all(
		run.user_id
	) as {
		lesson_slug: string;
		last_viewed_at: number;
		completed_at: number | null;
	}[];
	const progress = new Map(
		rows
			.filter((p) => c.bySlug.has(p.lesson_slug))
			.map((p) => [p.lesson_slug, { last: p.last_viewed_at, done: p.completed_at !== null }])
	);
	const lastActivity = Math.max(run.started_at, ...rows.map((p) => p.last_viewed_at));
	return {
		userId: run.user_id,
		name: row.name,
		enrolledAt: row.enrolled_at,
		allOpen: row.all_lessons_open === 1,
		progress,
		lastActivity
	};
}

function holds(condition: Condition, email: string, student: Student | undefined, now: number): boolean {
	switch (condition.kind) {
		case 'purchased':
			return hasPurchased(email);
		case 'course_done':
			return !!student && course().lessons.every((l) => student.progress.get(l.slug)?.done);
		case 'lesson_done':
			return !!student?.progress.get(condition.lesson)?.done;
		case 'lesson_viewed':
			return !!student?.progress.has(condition.lesson);
		case 'not_viewed_for_days':
			return !!student && student.lastActivity <= now - condition.days * DAY_MS;
	}
}

function describe(condition: Condition): string {
	if (condition.kind === 'lesson_done' || condition.kind === 'lesson_viewed')
		return `${condition.kind} ${condition.lesson}`;
	if (condition.kind === 'not_viewed_for_days') return `${condition.kind} ${condition.days}`;
	return condition.kind;
}

function buttonUrl(link: ButtonLink, step: SequenceStep, student: Student | undefined): string {
	switch (link) {
		case 'first_lesson':
			return firstLessonUrl();
		case 'course':
			return siteUrl('/');
		case 'my_course':
			return siteUrl('/course');
		case 'lesson':
			return lessonUrl(step.lessonOpens ?? '');
		case 'certificate':
			return student ? certificateUrl(student.userId) : siteUrl('/course');
	}
}

function composeStep(step: SequenceStep, email: string, runId: unknown, now: number): TemplateResult {
	const run = stmt(
		'select id, sequence, email, user_id, started_at, status, stopped_reason from sequence_runs where id = ?'
	).get(runId) as Run | undefined;
	if (!run || run.status !== 'active') return { skip: `sequence stopped: ${run?.stopped_reason ?? 'no run'}` };
	const c = course();
	let name: string | null = null;
	let student: Student | undefined;
	if (step.sequence === 'lead') {
		const subscriber = stmt('select name, status from subscribers where email = ?').get(email) as
			{ name: string | null; status: string } | undefined;
		if (subscriber?.status !== 'confirmed') return { skip: 'not a confirmed subscriber' };
		// The lead sequence ends when the subscriber buys, even if the purchase did not stop the run.
		if (hasPurchased(email)) return { skip: 'bought the course' };
		name = subscriber.name;
	} else {
		student = readStudent(run, c);
		if (!student) return { skip: 'no active enrolment' };
		name = student.name;
		const lesson = step.lessonOpens ? c.bySlug.get(step.lessonOpens) : undefined;
		const opensAt = lesson && !student.allOpen ? lessonOpensAt(student.enrolledAt, lesson, c.timezone) : 0;
		if (opensAt > now)
			return { deferUntil: opensAt + step.delayMs, reason: `waiting for lesson ${lesson?.slug} to open` };
	}
	for (const condition of step.skipIf)
		if (holds(condition, email, student, now)) return { skip: `skip_if ${describe(condition)}` };
	for (const condition of step.waitFor) {
		if (holds(condition, email, student, now)) continue;
		const until =
			condition.kind === 'not_viewed_for_days' && student
				? student.lastActivity + condition.days * DAY_MS
				: now + WAIT_RECHECK_MS;
		return { deferUntil: until, reason: `waiting for ${describe(condition)}` };
	}

	const { subject, html, text, buttonLabel } = renderStep(step);
	const marketing = marketingParts(email);
	const greeting = name?.trim() ? `প্রিয় ${oneLine(name)},` : step.sequence === 'lead' ? 'প্রিয় পাঠক,' : 'প্রিয় শিক্ষার্থী,';
	const body: MailBody = {
		paragraphs: [greeting],
		html,
		htmlText: text,
		button: step.button ? { label: buttonLabel, url: buttonUrl(step.button.link, step, student) } : undefined,
		footer: marketing.footer,
		footerLinks: [{ label: 'এই ইমেইলগুলো আর চাই না (আনসাবস্ক্রাইব)', url: marketing.unsubscribe }]
	};
	return { ...compose(subject, body, marketing.headers), shared: [html, text] };
}

const templates = new WeakMap<Course, Map<string, Template | undefined>>();

/** The template for an outbox row named "<sequence>/<step id>", e.g. "lead/02-passive-is-not-no-work". */
export function sequenceTemplate(name: string): Template | undefined {
	const c = course();
	let byName = templates.get(c);
	if (!byName) templates.set(c, (byName = new Map<string, Template | undefined>()));
	if (!byName.has(name)) {
		const [sequence, id] = name.split('/');
		const step = c.sequences.find((s) => s.name === sequence)?.steps.find((s) => s.id === id);
		byName.set(name, step ? ({ to, params, now }) => composeStep(step, to, params.runId, now) : undefined);
	}
	return byName.get(name);
}
