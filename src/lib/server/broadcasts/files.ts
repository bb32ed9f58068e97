/**
 * Broadcasts as files: course/emails/broadcasts/<slug>.md, the front matter of a sequence mail's subject and
 * placeholders plus `segment` and `send_at`. Read and checked with the course, so a bad one stops the server and
 * `npm run course:check` with file:line.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import type { CourseProblem } from '../course';
import { readFrontMatter } from '../front-matter';
import { checkPlaceholders, StepReader, text, type LessonRef } from '../course/sequence-syntax';
import { readSegment, type Segment } from './segments';

/** The folder under course/emails/ that holds broadcasts rather than a sequence. */
export const BROADCASTS_FOLDER = 'broadcasts';

export interface BroadcastFile {
	/** The file name without .md: the broadcast's name in the database, so an edit updates the same one. */
	id: string;
	file: string;
	subject: string;
	segment: Segment;
	sendAt: number;
	/** The line of send_at, for course:check's warning about a date already past. */
	sendAtLine: number;
	markdown: string;
}

const FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
const KEYS = ['subject', 'segment', 'send_at'];
/** ISO 8601 with its offset, so a date never means the server's own timezone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function readSegmentNode(node: Node | undefined, reader: StepReader): Segment | undefined {
	if (node === undefined) {
		reader.at(undefined, 'missing segment: e.g. segment: subscribers');
		return undefined;
	}
	let kind: unknown;
	let value: unknown;
	if (isScalar(node) && typeof node.value === 'string') {
		// "source: sales-page" written in quotes reads the same as the map form.
		const [k, ...rest] = node.value.split(':');
		kind = k.trim();
		value = rest.length ? rest.join(':').trim() : undefined;
	} else if (isMap(node) && node.items.length === 1 && isScalar(node.items[0].key)) {
		kind = node.items[0].key.value;
		const v = node.items[0].value;
		value = isScalar(v) ? v.value : undefined;
	}
	const segment = readSegment(kind, value);
	if ('problem' in segment) {
		reader.at(node, segment.problem);
		return undefined;
	}
	return segment;
}

function readBroadcast(
	dir: string,
	name: string,
	lessons: LessonRef[],
	problems: CourseProblem[]
): BroadcastFile | undefined {
	const file = join(dir, name);
	const match = FILE.exec(name);
	if (!match) {
		problems.push({
			file,
			line: 1,
			message: 'broadcast files are named slug.md with an ASCII slug, e.g. bonus-lesson.md'
		});
		return undefined;
	}
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({
			file,
			line: 1,
			message: 'missing front matter: start the file with ---, subject: ..., segment: ..., send_at: ..., ---'
		});
		return undefined;
	}
	// Placeholders are checked as in the lead sequence: a broadcast knows no lesson and no student's own links.
	const reader = new StepReader(file, problems, lessons, 'lead');
	const doc = parseDocument(front.yaml, { lineCounter: reader.lines, uniqueKeys: true });
	for (const error of doc.errors) reader.atOffset(error.pos[0], `YAML: ${error.message.split('\n')[0]}`);
	if (doc.errors.length) return undefined;
	const map = doc.contents;
	if (!isMap(map)) {
		reader.at(undefined, 'the front matter must be key: value pairs');
		return undefined;
	}
	const before = problems.length;
	const get = (key: string): Node | undefined =>
		map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;
	for (const pair of map.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!KEYS.includes(key)) reader.at(pair.key, `unknown key "${key}": a broadcast uses ${KEYS.join(', ')}`);
	}

	const subject = text(get('subject'));
	if (!subject) reader.at(get('subject'), 'missing subject');
	else if (subject.length > 150) reader.at(get('subject'), 'subject is longer than 150 characters');

	const segment = readSegmentNode(get('segment'), reader);

	const sendAtNode = get('send_at');
	const sendAtText = isScalar(sendAtNode)
		? String(sendAtNode.value instanceof Date ? '' : sendAtNode.value).trim()
		: '';
	const sendAt = ISO_WITH_OFFSET.test(sendAtText) ? Date.parse(sendAtText) : NaN;
	if (sendAtNode === undefined) reader.at(undefined, 'missing send_at: e.g. send_at: 2026-12-20T10:00:00+06:00');
	else if (Number.isNaN(sendAt))
		reader.at(
			sendAtNode,
			`send_at must be an ISO 8601 date and time with its offset, e.g. 2026-12-20T10:00:00+06:00, got "${sendAtText}"`
		);
	const sendAtLine = sendAtNode ? reader.lines.linePos(sendAtNode.range?.[0] ?? 0).line + 1 : 1;

	const { body: markdown, bodyLine } = front;
	if (!markdown.trim()) problems.push({ file, line: bodyLine, message: 'the mail has no text after its front matter' });
	checkPlaceholders(subject ?? '', 2, reader, false);
	checkPlaceholders(markdown, bodyLine, reader, false);

	if (problems.length > before || !subject || !segment) return undefined;
	return { id: match[1], file, subject, segment, sendAt, sendAtLine, markdown };
}

/** Reads course/emails/broadcasts/; a missing folder is no broadcast at all. */
export function readBroadcastFiles(dir: string, lessons: LessonRef[], problems: CourseProblem[]): BroadcastFile[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.md'))
		.sort()
		.map((name) => readBroadcast(dir, name, lessons, problems))
		.filter((b): b is BroadcastFile => b !== undefined);
}
