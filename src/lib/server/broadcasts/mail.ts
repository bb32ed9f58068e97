/**
 * One renderer for every broadcast, from a file or from /admin: placeholders filled, Markdown rendered once per
 * broadcast, and the marketing footer (one-click unsubscribe, postal address, why the reader gets it) per reader.
 */
import { displayPrice } from '../catalogue';
import { course } from '../course';
import { renderMarkdown } from '../markdown';
import { oneLine, type MailBody } from '../mail/layout';
import { firstLessonUrl, marketingParts, siteUrl } from '../mail/links';
import { markdownToText } from '../mail/sequence-mail';
import { compose, type ComposedMail, type Template } from '../mail/templates';
import { inSegment } from './segments';
import { findBroadcast, segmentOf, type BroadcastRow } from './store';

interface Rendered {
	subject: string;
	html: string;
	text: string;
}

function fill(source: string): string {
	const vars: Record<string, string> = {
		course_title: course().title,
		course_url: siteUrl('/'),
		first_lesson_url: firstLessonUrl(),
		price: displayPrice()
	};
	return source.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (all, name: string) => vars[name] ?? all);
}

/** The subject and body of a broadcast with its placeholders filled. */
export function renderBroadcast(b: { subject: string; markdown: string }): Rendered {
	const markdown = fill(b.markdown);
	return { subject: oneLine(fill(b.subject)), html: renderMarkdown(markdown), text: markdownToText(markdown) };
}

/** The mail one reader gets; `test` marks the seller's own test copy. */
export function composeBroadcast(rendered: Rendered, to: string, test = false): ComposedMail {
	const marketing = marketingParts(to);
	const body: MailBody = {
		paragraphs: ['প্রিয় পাঠক,'],
		html: rendered.html,
		htmlText: rendered.text,
		footer: marketing.footer,
		footerLinks: [{ label: 'এই ইমেইলগুলো আর চাই না (আনসাবস্ক্রাইব)', url: marketing.unsubscribe }]
	};
	const subject = test ? `[পরীক্ষা] ${rendered.subject}` : rendered.subject;
	return { ...compose(subject, body, marketing.headers), shared: [rendered.html, rendered.text] };
}

// A broadcast's text cannot change once it has started, so it is rendered once per process.
const started = new Map<number, Rendered>();

function renderedOf(row: BroadcastRow): Rendered {
	if (row.status !== 'queuing' && row.status !== 'queued') return renderBroadcast(row);
	let r = started.get(row.id);
	if (!r) started.set(row.id, (r = renderBroadcast(row)));
	return r;
}

/** The template for an outbox row named "broadcast/<id>". */
export function broadcastTemplate(name: string): Template | undefined {
	const match = /^broadcast\/(\d{1,12})$/.exec(name);
	if (!match) return undefined;
	const id = Number(match[1]);
	return ({ to, params }) => {
		const row = findBroadcast(id);
		if (!row) return { skip: 'broadcast deleted' };
		const test = params.test === true;
		if (!test && row.status !== 'queuing' && row.status !== 'queued') return { skip: `broadcast ${row.status}` };
		if (!test && !inSegment(segmentOf(row), to)) return { skip: 'no longer in the segment' };
		return composeBroadcast(renderedOf(row), to, test);
	};
}
