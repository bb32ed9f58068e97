/**
 * The reminders for buyers who did not finish paying: course/emails/recovery/stripe.md (a Stripe checkout that
 * expired) and wallet.md (a /pay/<method> form left without a TrxID). Each is one mail with front matter
 * (subject, delay, button) and a Markdown body; a missing file turns that reminder off.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { readFrontMatter } from '../front-matter';
import type { CourseProblem } from './index';
import { parseDelay, text } from './sequence-syntax';

export const RECOVERY_KINDS = ['stripe', 'wallet'] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export interface RecoveryMail {
	kind: RecoveryKind;
	file: string;
	subject: string;
	/** How long after the checkout expired (Stripe) or the form was left (wallet) the reminder goes. */
	delayMs: number;
	/** The label of the button back to the payment; the link is the kind's own (recovery_url or pay_url). */
	button: string;
	/** The body, Markdown with {{placeholders}}. */
	markdown: string;
}

export type RecoveryMails = Partial<Record<RecoveryKind, RecoveryMail>>;

const KEYS = ['subject', 'delay', 'button'];
const COMMON = ['course_title', 'course_url', 'first_lesson_url', 'price'];
/** What each reminder may name besides the course: the way back to its own payment. */
export const RECOVERY_PLACEHOLDERS: Record<RecoveryKind, string[]> = {
	stripe: [...COMMON, 'recovery_url'],
	wallet: [...COMMON, 'method_name', 'amount', 'reference', 'pay_url', 'payment_details']
};
const DEFAULT_BUTTON: Record<RecoveryKind, string> = {
	stripe: 'কেনা শেষ করুন',
	wallet: 'পেমেন্টের পাতা খুলুন'
};
const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

function checkPlaceholders(kind: RecoveryKind, file: string, source: string, firstLine: number, problems: CourseProblem[]): void {
	const known = RECOVERY_PLACEHOLDERS[kind];
	source.split('\n').forEach((line, i) => {
		for (const [, name] of line.matchAll(PLACEHOLDER))
			if (!known.includes(name))
				problems.push({
					file,
					line: firstLine + i,
					message: `unknown placeholder {{${name}}} in the ${kind} reminder: use ${known.map((p) => `{{${p}}}`).join(', ')}`
				});
	});
}

function readRecoveryMail(kind: RecoveryKind, file: string, problems: CourseProblem[]): RecoveryMail | undefined {
	const front = readFrontMatter(file);
	if (!front) {
		problems.push({ file, line: 1, message: 'missing front matter: start the file with ---, subject: ..., delay: ..., ---' });
		return undefined;
	}
	const before = problems.length;
	const lines = new LineCounter();
	// +1: the front matter starts on the line after the opening ---.
	const at = (node: Node | undefined | null, message: string): void => {
		const offset = node?.range?.[0];
		problems.push({ file, line: offset === undefined ? 1 : lines.linePos(offset).line + 1, message });
	};
	const doc = parseDocument(front.yaml, { lineCounter: lines, uniqueKeys: true });
	for (const error of doc.errors)
		problems.push({ file, line: lines.linePos(error.pos[0]).line + 1, message: `YAML: ${error.message.split('\n')[0]}` });
	if (doc.errors.length) return undefined;
	const map = doc.contents;
	if (!isMap(map)) {
		at(undefined, 'the front matter must be key: value pairs');
		return undefined;
	}
	const get = (key: string): Node | undefined =>
		map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;
	for (const pair of map.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!KEYS.includes(key)) at(pair.key, `unknown key "${key}": use ${KEYS.join(', ')}`);
	}

	const subject = text(get('subject'));
	if (!subject) at(get('subject'), 'missing subject');
	else if (subject.length > 150) at(get('subject'), 'subject is longer than 150 characters');

	const delayNode = get('delay');
	const delayMs = parseDelay(isScalar(delayNode) ? delayNode.value : undefined);
	if (delayNode === undefined) at(undefined, 'missing delay: e.g. delay: 1h (hours), 1d (days) or 30m (minutes)');
	else if (delayMs === undefined)
		at(
			delayNode,
			`delay must look like 1h, 1d or 30m (at most a year), got "${String(isScalar(delayNode) ? delayNode.value : '')}"`
		);

	const buttonNode = get('button');
	const button = buttonNode === undefined ? DEFAULT_BUTTON[kind] : text(buttonNode);
	if (!button) at(buttonNode, 'button is the label of the button back to the payment, e.g. button: "কেনা শেষ করুন"');

	const { body: markdown, bodyLine } = front;
	if (!markdown.trim()) problems.push({ file, line: bodyLine, message: 'the mail has no text after its front matter' });
	checkPlaceholders(kind, file, front.yaml, 2, problems);
	checkPlaceholders(kind, file, markdown, bodyLine, problems);

	if (problems.length > before || !subject || delayMs === undefined || !button) return undefined;
	return { kind, file, subject, delayMs, button, markdown };
}

/** Reads course/emails/recovery/; a missing folder or file is no reminder of that kind. */
export function readRecoveryMails(dir: string, problems: CourseProblem[]): RecoveryMails {
	const mails: RecoveryMails = {};
	if (!existsSync(dir)) return mails;
	for (const name of readdirSync(dir).sort()) {
		const file = join(dir, name);
		if (!name.endsWith('.md')) continue;
		const kind = name.slice(0, -3);
		if (!(RECOVERY_KINDS as readonly string[]).includes(kind)) {
			problems.push({
				file,
				line: 1,
				message: `a reminder is stripe.md (an expired Stripe checkout) or wallet.md (a wallet payment left unfinished)`
			});
			continue;
		}
		const mail = readRecoveryMail(kind as RecoveryKind, file, problems);
		if (mail) mails[kind as RecoveryKind] = mail;
	}
	return mails;
}
