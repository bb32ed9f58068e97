/**
 * Subscribers brought from another list as CSV (Mailchimp's "Email Address", "First Name", "Last Name"; Kit's
 * "email", "first_name"; a plain "email,name"): a preview with a verdict per row, then all rows added in one
 * transaction or none. Nobody imported is mailed until the seller starts the lead sequence for the import.
 */
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { recordAudit } from '../audit/log';
import { NAME_MAX_LENGTH, oneLineName } from '../auth/user';
import { writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { subscriberImports, subscribers } from '../db/schema';
import { EmailAddress } from '../email-address';
import { wakeSender } from '../mail/sender';
import { startLeadSequence } from '../mail/sequences';
import { findSubscriber } from '../mail/subscribers';
import { blockedReason } from '../mail/suppressions';

export const IMPORT_MAX_BYTES = 512 * 1024;
export const IMPORT_MAX_ROWS = 5000;
/** What the consent record says for an imported address (consent_text_version and consent_form). */
export const IMPORTED = 'imported';
export const IMPORT_FORM = 'import';

export const VERDICTS = ['added', 'exists', 'invalid', 'duplicate', 'suppressed'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ImportLine {
	/** The line of the file, counting from 1 (the header is line 1). */
	line: number;
	email: string;
	name: string | null;
	verdict: Verdict;
}

export interface ImportPreview {
	fileName: string;
	lines: ImportLine[];
	counts: Record<Verdict, number>;
}

type Problem = { problem: string };

/** The file's text, or a Bengali reason it cannot be read: too big, not UTF-8, not text. */
export function decodeImportFile(bytes: Uint8Array): string | Problem {
	if (bytes.byteLength > IMPORT_MAX_BYTES) return { problem: 'ফাইলটি অনেক বড় (৫১২ KB-এর বেশি)। ভাগ করে দিন।' };
	let text: string;
	try {
		// fatal: a file saved in another encoding is refused instead of read as gibberish; a BOM is dropped.
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { problem: 'ফাইলটি UTF-8-এ লেখা নয়। স্প্রেডশিট থেকে "CSV UTF-8" হিসেবে সেভ করে আবার দিন।' };
	}
	if (text.includes('\u0000')) return { problem: 'এটি CSV ফাইল মনে হচ্ছে না।' };
	if (!text.trim()) return { problem: 'ফাইলটি খালি।' };
	return text;
}

// Header names compared in lower case with spaces, dashes, dots and underscores removed.
const EMAIL_HEADERS = ['email', 'emailaddress', 'mail'];
const NAME_HEADERS = ['name', 'fullname'];
const FIRST_HEADERS = ['firstname', 'fname', 'givenname'];
const LAST_HEADERS = ['lastname', 'lname', 'surname', 'familyname'];
const squeeze = (header: string): string => header.toLowerCase().replace(/[\s\-._]/g, '');

interface Parsed {
	record: string[];
	info: { lines: number };
}

/** Undoes the export's defusing of formula cells ("'=x" back to "=x"), so an export imports as it was. */
const undefused = (cell: string): string => cell.replace(/^'(?=[=+\-@\t\r])/, '');

function readName(record: string[], columns: { name?: number; first?: number; last?: number }): string | null {
	const cell = (i?: number): string => (i === undefined ? '' : undefused(record[i] ?? ''));
	const whole = columns.name !== undefined ? cell(columns.name) : `${cell(columns.first)} ${cell(columns.last)}`;
	return oneLineName(whole).slice(0, NAME_MAX_LENGTH) || null;
}

/** The file's rows with a verdict each, against the list as it is now; a problem when the file is not usable. */
function readRows(text: string): { email: string; name: string | null; line: number; raw: string }[] | Problem {
	let records: Parsed[];
	try {
		// csv-parse's types leave out the { record, info } shape that `info: true` gives.
		records = parse(text, {
			bom: true,
			delimiter: ',',
			info: true,
			relax_column_count: true,
			skip_empty_lines: true,
			trim: true,
			max_record_size: 4096
		}) as unknown as Parsed[];
	} catch (e) {
		const line = (e as { lines?: number }).lines;
		return { problem: `ফাইলটি CSV হিসেবে পড়া গেল না${line ? ` (লাইন ${line.toLocaleString('bn-BD')})` : ''}।` };
	}
	const header = (records[0]?.record ?? []).map(squeeze);
	const find = (names: string[]): number | undefined => {
		const i = header.findIndex((h) => names.includes(h));
		return i < 0 ? undefined : i;
	};
	const email = find(EMAIL_HEADERS);
	if (email === undefined) return { problem: 'প্রথম সারিতে "email" বা "Email Address" নামের কলাম পাওয়া যায়নি।' };
	const rows = records.slice(1).filter(({ record }) => record.some((c) => c !== ''));
	if (!rows.length) return { problem: 'ফাইলে শিরোনামের পরে কোনো সারি নেই।' };
	if (rows.length > IMPORT_MAX_ROWS)
		return {
			problem: `একবারে ${IMPORT_MAX_ROWS.toLocaleString('bn-BD')}টির বেশি সারি নেওয়া যায় না; ফাইলে আছে ${rows.length.toLocaleString('bn-BD')}টি। ভাগ করে দিন।`
		};
	const columns = { name: find(NAME_HEADERS), first: find(FIRST_HEADERS), last: find(LAST_HEADERS) };
	return rows.map(({ record, info }) => ({
		raw: (record[email] ?? '').slice(0, 254),
		email: record[email] ?? '',
		name: readName(record, columns),
		line: info.lines
	}));
}

/** Each row's verdict against the list as it stands; the first row of an address wins over its duplicates. */
export function previewImport(text: string, fileName: string): ImportPreview | Problem {
	const rows = readRows(text);
	if ('problem' in rows) return rows;
	const seen = new Set<string>();
	const counts = Object.fromEntries(VERDICTS.map((k) => [k, 0])) as Record<Verdict, number>;
	const lines = rows.map(({ raw, email: cell, name, line }): ImportLine => {
		const parsed = v.safeParse(EmailAddress, cell);
		let verdict: Verdict;
		const email = parsed.success ? parsed.output : raw;
		if (!parsed.success) verdict = 'invalid';
		else if (seen.has(email)) verdict = 'duplicate';
		else if (blockedReason(email, true)) verdict = 'suppressed';
		else if (findSubscriber(email)) verdict = 'exists';
		else verdict = 'added';
		if (parsed.success) seen.add(email);
		counts[verdict]++;
		return { line, email, name, verdict };
	});
	return { fileName, lines, counts };
}

/** A file name as the consent record keeps it: its last path part, one line, at most 200 characters. */
export function cleanFileName(name: string): string {
	return oneLineName(name.split(/[\\/]/).pop() ?? '').slice(0, 200) || 'import.csv';
}

const insertImport = preparedFor((db) =>
	db
		.insert(subscriberImports)
		.values({
			fileName: sql.placeholder('fileName'),
			added: sql.placeholder('added'),
			actor: sql.placeholder('actor'),
			createdAt: sql.placeholder('now')
		})
		.returning({ id: subscriberImports.id })
		.prepare()
);

// Imported addresses consented on the list they come from: confirmed, with the file and the date as evidence.
const insertImported = preparedFor((db) =>
	db
		.insert(subscribers)
		.values({
			email: sql.placeholder('email'),
			name: sql.placeholder('name'),
			status: 'confirmed',
			consentAt: sql.placeholder('now'),
			consentPage: sql.placeholder('fileName'),
			consentForm: IMPORT_FORM,
			consentTextVersion: IMPORTED,
			confirmedAt: sql.placeholder('now'),
			importId: sql.placeholder('importId')
		})
		.prepare()
);

/**
 * Adds the rows the preview calls "added", all in one transaction (read again inside it, so the list cannot change
 * between the check and the write). Queues no mail. Returns the import and its report.
 */
export function applyImport(
	text: string,
	fileName: string,
	actor: string,
	now = Date.now()
): { importId: number; preview: ImportPreview } | Problem {
	return writeTransaction(() => {
		const preview = previewImport(text, fileName);
		if ('problem' in preview) return preview;
		const added = preview.lines.filter((l) => l.verdict === 'added');
		const stored = insertImport().get({ fileName, added: added.length, actor, now });
		if (!stored) throw new Error(`import of ${fileName} was not stored`);
		const importId = stored.id;
		for (const row of added) insertImported().run({ email: row.email, name: row.name, now, fileName, importId });
		recordAudit({
			actor,
			action: 'import',
			subjectType: 'address',
			subjectId: `import/${importId}`,
			after: { fileName, ...preview.counts }
		});
		return { importId, preview };
	});
}

const importById = preparedFor((db) =>
	db
		.select()
		.from(subscriberImports)
		.where(eq(subscriberImports.id, sql.placeholder('id')))
		.prepare()
);
const confirmedOfImport = preparedFor((db) =>
	db
		.select({ email: subscribers.email })
		.from(subscribers)
		.where(sql`${subscribers.importId} = ${sql.placeholder('id')} and ${subscribers.status} = 'confirmed'`)
		.prepare()
);
const markStarted = preparedFor((db) =>
	db
		.update(subscriberImports)
		.set({ sequenceStartedAt: sql`${sql.placeholder('now')}` })
		.where(eq(subscriberImports.id, sql.placeholder('id')))
		.prepare()
);

/** Starts the lead sequence for everyone an import added who is still on the list; once per import. */
export function startImportSequence(
	importId: number,
	actor: string,
	now = Date.now()
): 'done' | 'unchanged' | 'not-found' {
	const result = writeTransaction(() => {
		const found = importById().get({ id: importId });
		if (!found) return 'not-found' as const;
		if (found.sequenceStartedAt != null) return 'unchanged' as const;
		let started = 0;
		for (const { email } of confirmedOfImport().all({ id: importId }))
			if (!blockedReason(email, true) && startLeadSequence(email, now) !== undefined) started++;
		markStarted().run({ id: importId, now });
		recordAudit({
			actor,
			action: 'start-import-sequence',
			subjectType: 'address',
			subjectId: `import/${importId}`,
			before: { sequenceStartedAt: null },
			after: { sequence: 'lead', started }
		});
		return 'done' as const;
	});
	if (result === 'done') wakeSender();
	return result;
}
