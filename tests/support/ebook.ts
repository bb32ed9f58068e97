import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import type { TestContext } from 'vitest';
import { join } from 'node:path';
import { BookFonts, type BookFontFile } from '../../src/lib/server/ebook/shaping';
import { ROOT } from './server';
import { addUser, enrol, type EnrolmentSetup } from './students';

/** The book's fonts as the last `vite build` wrote them (scripts/subset-font.ts). */
export function bookFontsFromBuild(): BookFonts {
	const faces = [
		...(['bengali', 'latin'] as const).flatMap((subset) => ([400, 700] as const).map((weight) => ({ subset, weight }))),
		{ subset: 'symbols', weight: 400 } as const
	];
	const files: BookFontFile[] = faces.map(({ subset, weight }) => {
		const file = `book-${subset}-${weight}.ttf`;
		return { subset, weight, file, bytes: new Uint8Array(readFileSync(join(ROOT, 'src/lib/assets/fonts', file))) };
	});
	return new BookFonts(files);
}

export interface Buyer {
	id: number;
	email: string;
	name: string;
	orderId: number;
}

/** A buyer as the payments code leaves one: user, order, and an enrolment that points at the order. */
export function addBuyer(db: Database.Database, email: string, name: string, setup: EnrolmentSetup = {}): Buyer {
	const id = addUser(db, email, name);
	const order = db
		.prepare(
			`insert into orders (checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, buyer_name)
			 values (?, ?, ?, 150000, 'BDT', ?, ?) returning id`
		)
		.get(`cs_${id}_${email}`, `pi_${id}_${email}`, id, email, name) as { id: number };
	enrol(db, id, setup);
	db.prepare('update enrolments set order_id = ? where user_id = ?').run(order.id, id);
	return { id, email, name, orderId: order.id };
}

/**
 * Skips the running test when a Debian tool that checks the books is missing (saying which to install), and
 * fails it instead under CI=true, where .ci/run installs them: as for Chromium, a skipped check checks nothing.
 */
export function skipWithoutTool(ctx: Pick<TestContext, 'skip'>, file: string, install: string): void {
	if (existsSync(file)) return;
	const why = `skipped: no ${file} (apt-get install ${install})`;
	if (/^(true|1)$/i.test(process.env.CI?.trim() ?? ''))
		throw new Error(`${why}: under CI=true this check fails rather than skip`);
	console.warn(why);
	ctx.skip(why);
}
