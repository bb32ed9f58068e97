/**
 * Broadcasts as files: course/emails/broadcasts/<slug>.md, the front matter of a sequence mail's subject and
 * placeholders plus `segment` and `send_at`. Read and checked with the course, so a bad one stops the server and
 * `npm run course:check` with file:line.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CourseProblem } from '../course';
import { readMailFile, readWith, subject, type MailKind, type Problem } from '../course/mail-file';
import { isMapping, required } from '../course/schema';
import { stepPlaceholderProblem } from '../course/sequence-syntax';
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
/** ISO 8601 with its offset, so a date never means the server's own timezone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function readSegmentValue(input: unknown): Segment | Problem {
	if (typeof input === 'string') {
		// "source: sales-page" written in quotes reads the same as the map form.
		const [kind, ...rest] = input.split(':');
		return readSegment(kind.trim(), rest.length ? rest.join(':').trim() : undefined);
	}
	if (!isMapping(input) || Object.keys(input).length !== 1) return readSegment(undefined);
	const [[kind, value]] = Object.entries(input);
	const segment = readSegment(kind, value);
	return 'problem' in segment ? { ...segment, key: kind } : segment;
}

function readSendAt(input: unknown): number | Problem {
	const text = String(input).trim();
	const sendAt = ISO_WITH_OFFSET.test(text) ? Date.parse(text) : NaN;
	if (!Number.isNaN(sendAt)) return sendAt;
	return {
		problem: `send_at must be an ISO 8601 date and time with its offset, e.g. 2026-12-20T10:00:00+06:00, got "${text}"`
	};
}

const schema = v.object({
	subject,
	segment: required(readWith(readSegmentValue), 'missing segment: e.g. segment: subscribers'),
	send_at: required(readWith(readSendAt), 'missing send_at: e.g. send_at: 2026-12-20T10:00:00+06:00')
});

const broadcastKind: MailKind<typeof schema> = {
	schema,
	keys: 'subject: ..., segment: ..., send_at: ...',
	// Placeholders are checked as in the lead sequence: a broadcast knows no lesson and no student's own links.
	placeholderProblem: stepPlaceholderProblem('lead')
};

function readBroadcast(dir: string, name: string, problems: CourseProblem[]): BroadcastFile | undefined {
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
	const before = problems.length;
	const mail = readMailFile(file, broadcastKind, problems);
	const { subject, segment, send_at: sendAt } = mail?.value ?? {};
	if (!mail || problems.length > before || !subject || !segment || sendAt === undefined) return undefined;
	return { id: match[1], file, subject, segment, sendAt, sendAtLine: mail.lineOf('send_at'), markdown: mail.markdown };
}

/** Reads course/emails/broadcasts/; a missing folder is no broadcast at all. */
export function readBroadcastFiles(dir: string, problems: CourseProblem[]): BroadcastFile[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.md'))
		.sort()
		.map((name) => readBroadcast(dir, name, problems))
		.filter((b): b is BroadcastFile => b !== undefined);
}
