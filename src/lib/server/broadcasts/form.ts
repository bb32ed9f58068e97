/** The /admin/broadcasts form: a subject, a Markdown body and a segment, checked with valibot at the route. */
import * as v from 'valibot';
import { oneLine } from '../mail/layout';
import { readSegment, type Segment } from './segments';
import type { BroadcastDraft } from './store';

/** What a broadcast may say: the placeholders of the lead sequence, filled the same way. */
export const BROADCAST_PLACEHOLDERS = ['course_title', 'course_url', 'first_lesson_url', 'price'];

const known = (text: string): boolean =>
	[...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].every((m) => BROADCAST_PLACEHOLDERS.includes(m[1]));
const PLACEHOLDER_MESSAGE = `অজানা {{…}}: ব্যবহার করা যায় ${BROADCAST_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`;

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
	const value =
		kind === 'students_inactive_days' ? days.replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d))) : source;
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
