/**
 * Composes a sequence step at send time: asks for the run, the subscriber or the student's enrolment and progress,
 * applies the step's conditions (skip, wait), and renders the mail with its unsubscribe link and headers.
 */
import { activeStudent, hasEnrolled } from '../access';
import { displayPrice } from '../catalogue';
import { course, type Course } from '../course';
import { lessonOpensAt } from '../drip';
import { renderMarkdown } from '../markdown';
import { progressOf } from '../progress';
import { oneLine, type MailBody } from './layout';
import { certificateUrl, firstLessonUrl, lessonUrl, marketingParts, siteUrl } from './links';
import type { ButtonLink, Condition, SequenceStep } from '../course/sequences';
import { findRun, type SequenceRun } from './sequences';
import { findSubscriber } from './subscribers';
import { compose, type Template, type TemplateResult } from './templates';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a mail waiting for progress (course_done…) is looked at again, unless recheckWaitingMails is called. */
export const WAIT_RECHECK_MS = 6 * 60 * 60 * 1000;

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

function readStudent(run: SequenceRun, c: Course): Student | undefined {
	if (run.userId === null) return undefined;
	const student = activeStudent(run.userId);
	if (!student) return undefined;
	const rows = [...progressOf(run.userId)];
	const progress = new Map(
		rows
			.filter(([slug]) => c.bySlug.has(slug))
			.map(([slug, p]) => [slug, { last: p.lastViewedAt, done: p.completedAt !== null }])
	);
	const lastActivity = Math.max(run.startedAt, ...rows.map(([, p]) => p.lastViewedAt));
	return {
		userId: run.userId,
		name: student.name,
		enrolledAt: student.enrolment.enrolledAt,
		allOpen: student.enrolment.allLessonsOpen,
		progress,
		lastActivity
	};
}

function holds(condition: Condition, email: string, student: Student | undefined, now: number): boolean {
	switch (condition.kind) {
		case 'purchased':
			return hasEnrolled(email);
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
	const run = typeof runId === 'number' ? findRun(runId) : undefined;
	if (!run) return { skip: 'sequence stopped: no run' };
	if (run.status !== 'active') return { stop: `sequence stopped: ${run.stoppedReason}` };
	const c = course();
	let name: string | null = null;
	let student: Student | undefined;
	if (step.sequence === 'lead') {
		const subscriber = findSubscriber(email);
		if (subscriber?.status !== 'confirmed') return { skip: 'not a confirmed subscriber' };
		// The lead sequence ends when the subscriber buys, even if the purchase did not stop the run.
		if (hasEnrolled(email)) return { skip: 'bought the course' };
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
