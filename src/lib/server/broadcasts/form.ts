/** The /admin/broadcasts form: a subject, a Markdown body and a segment, checked with valibot at the route. */
import * as v from 'valibot';
import { oneLine } from '../mail/layout';
import { zoneOffset } from '../time-zone';
import { readSegment, type Segment } from './segments';
import type { BroadcastDraft } from './store';

/** What a broadcast may say: the placeholders of the lead sequence, filled the same way. */
export const BROADCAST_PLACEHOLDERS = ['course_title', 'course_url', 'first_lesson_url', 'price'];

const known = (text: string): boolean =>
	[...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].every((m) => BROADCAST_PLACEHOLDERS.includes(m[1]));
const PLACEHOLDER_MESSAGE = `অজানা {{…}}: ব্যবহার করা যায় ${BROADCAST_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`;

const latinDigits = (text: string): string => text.replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d)));

const DraftFields = v.object({
	subject: v.pipe(
		v.string('বিষয় লিখুন।'),
		v.transform(oneLine),
		v.nonEmpty('বিষয় লিখুন।'),
		v.maxLength(150, 'বিষয়টি ১৫০ অক্ষরের মধ্যে লিখুন।'),
		v.check(known, PLACEHOLDER_MESSAGE)
	),
	body: v.pipe(
		v.string('মেইলের লেখা লিখুন।'),
		v.transform((s) => s.replace(/\r\n?/g, '\n').trim()),
		v.nonEmpty('মেইলের লেখা লিখুন।'),
		v.maxLength(20_000, 'লেখাটি ২০,০০০ অক্ষরের মধ্যে রাখুন।'),
		v.check(known, PLACEHOLDER_MESSAGE)
	),
	segment: v.string('কাদের পাঠাবেন, বেছে নিন।'),
	days: v.optional(v.string(), ''),
	source: v.optional(v.string(), '')
});

export type DraftEcho = Record<'subject' | 'body' | 'segment' | 'days' | 'source', string>;

/** The draft, or the first problem in Bengali; the typed fields are echoed back either way. */
export function readDraft(
	fields: Record<string, FormDataEntryValue>
): { ok: true; draft: BroadcastDraft } | { ok: false; message: string; echo: DraftEcho } {
	const echo = Object.fromEntries(
		['subject', 'body', 'segment', 'days', 'source'].map((k) => [k, typeof fields[k] === 'string' ? fields[k] : ''])
	) as DraftEcho;
	const parsed = v.safeParse(DraftFields, fields);
	if (!parsed.success) return { ok: false, message: parsed.issues[0]?.message ?? 'অনুরোধটি বোঝা যায়নি।', echo };
	const { subject, body, segment: kind, days, source } = parsed.output;
	const value = kind === 'students_inactive_days' ? latinDigits(days) : source;
	const segment: Segment | { problem: string } = readSegment(
		kind,
		kind === 'students_inactive_days' || kind === 'source' ? value : undefined
	);
	if ('problem' in segment)
		return {
			ok: false,
			message:
				kind === 'students_inactive_days'
					? 'কত দিন কোনো পাঠ খোলেননি, ১ থেকে ৩৬৫-এর মধ্যে লিখুন।'
					: kind === 'source'
						? 'ফর্মের নাম লিখুন, যেমন sales-page।'
						: 'কাদের পাঠাবেন, তালিকা থেকে বেছে নিন।',
			echo
		};
	return { ok: true, draft: { subject, markdown: body, segment } };
}

// What <input type="datetime-local"> sends ("2026-12-20T10:00"), or what a phone without the picker lets one type.
const LOCAL_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * When the seller wants a broadcast to go: the store's local time (timeZone) as the form sends it, in Latin or
 * Bengali digits. Empty means now; a past, impossible or more than a year away time is refused in Bengali.
 */
export function readSendAt(
	text: unknown,
	timeZone: string,
	now = Date.now()
): { ok: true; at: number | null; text: string } | { ok: false; message: string } {
	const typed = typeof text === 'string' ? latinDigits(text).trim() : '';
	if (!typed) return { ok: true, at: null, text: '' };
	const m = LOCAL_TIME.exec(typed);
	const [year, month, day, hour, minute, second] = (m?.slice(1) ?? []).map((n) => Number(n ?? 0));
	const wall = Date.UTC(year, month - 1, day, hour, minute, second);
	const sameWall = (d: Date): boolean =>
		d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour;
	if (!m || minute > 59 || second > 59 || !sameWall(new Date(wall)))
		return { ok: false, message: 'সময়টি বোঝা যায়নি। তারিখ ও সময় এভাবে লিখুন: ২০২৬-১২-২০ ১০:০০' };
	// A second pass settles a time near a change of offset (daylight saving, where the zone has it).
	const at = wall - zoneOffset(timeZone, wall - zoneOffset(timeZone, wall));
	if (at <= now) return { ok: false, message: 'এই সময়টি পার হয়ে গেছে। সামনের একটি সময় দিন, বা খালি রাখুন এখনই পাঠাতে।' };
	if (at > now + YEAR_MS) return { ok: false, message: 'এক বছরের মধ্যের একটি সময় দিন।' };
	const pad = (n: number): string => String(n).padStart(2, '0');
	return { ok: true, at, text: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}` };
}
