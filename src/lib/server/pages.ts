/**
 * The pages every shop must have, as Markdown files the seller edits: course/pages/privacy.md, terms.md,
 * refund.md and contact.md, served at /privacy, /terms, /refund and /contact. Read and checked with the course
 * (a missing title or an unknown {{placeholder}} stops the server and shows in course:check as file:line);
 * placeholders are filled from course.yaml and the environment when the page is first shown (page-content.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { isLegalPage, LEGAL_PAGES, type LegalPageSlug } from '../legal-pages';
import type { CourseProblem } from './course';
import { readFrontMatter } from './front-matter';
import { findPlaceholders, placeholderProblem } from './placeholders';

export interface LegalPage {
	slug: LegalPageSlug;
	file: string;
	title: string;
	/** One sentence for search results and link previews. */
	summary: string | undefined;
	/** The body: Markdown with {{placeholders}}. */
	markdown: string;
}

const KEYS = ['title', 'summary'];

function text(node: unknown): string | undefined {
	return isScalar(node) && typeof node.value === 'string' && node.value.trim() ? node.value.trim() : undefined;
}

function readPage(
	file: string,
	slug: LegalPageSlug,
	refundDaysSet: boolean,
	problems: CourseProblem[]
): LegalPage | undefined {
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({ file, line: 1, message: 'missing front matter: start the file with ---, title: ..., ---' });
		return undefined;
	}
	const lines = new LineCounter();
	// +1: the front matter starts on the line after the opening ---.
	const at = (offset: number | undefined, message: string) =>
		problems.push({ file, line: offset === undefined ? 2 : lines.linePos(offset).line + 1, message });
	const doc = parseDocument(front.yaml, { lineCounter: lines, uniqueKeys: true });
	for (const error of doc.errors) at(error.pos[0], `YAML: ${error.message.split('\n')[0]}`);
	if (doc.errors.length) return undefined;
	if (!isMap(doc.contents)) {
		at(undefined, 'the front matter must be key: value pairs');
		return undefined;
	}
	const before = problems.length;
	for (const pair of doc.contents.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!KEYS.includes(key))
			at(isScalar(pair.key) ? pair.key.range?.[0] : undefined, `unknown key "${key}": use title, summary`);
	}
	const title = text(doc.get('title', true));
	if (!title) at(undefined, 'missing title');
	const summary = text(doc.get('summary', true));

	const body = front.body;
	if (!body.trim())
		problems.push({ file, line: front.bodyLine, message: 'the page has no text after its front matter' });
	body.split('\n').forEach((line, i) => {
		for (const { name } of findPlaceholders(line)) {
			const problem = placeholderProblem(name, refundDaysSet);
			if (problem) problems.push({ file, line: front.bodyLine + i, message: problem });
		}
	});
	if (problems.length > before || !title) return undefined;
	return { slug, file, title, summary, markdown: body };
}

/** Reads and checks course/pages/; every page must be there. `refundDaysSet`: course.yaml has refund_days. */
export function readLegalPages(dir: string, refundDaysSet: boolean, problems: CourseProblem[]): LegalPage[] {
	const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
	for (const name of names)
		if (!isLegalPage(name.slice(0, -3)))
			problems.push({
				file: join(dir, name),
				line: 1,
				message: `unknown page: course/pages/ holds ${LEGAL_PAGES.map((p) => `${p}.md`).join(', ')}`
			});
	const pages: LegalPage[] = [];
	for (const slug of LEGAL_PAGES) {
		const file = join(dir, `${slug}.md`);
		if (!names.includes(`${slug}.md`)) {
			problems.push({ file, line: 1, message: `missing: every shop needs this page (/${slug})` });
			continue;
		}
		const page = readPage(file, slug, refundDaysSet, problems);
		if (page) pages.push(page);
	}
	return pages;
}
