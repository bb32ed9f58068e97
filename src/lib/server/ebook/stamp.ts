/**
 * The buyer's stamp (social DRM, no encryption): their name and email on the title page and under every
 * chapter, and the order in the metadata. It is part of each cached copy's name, so a changed name makes a new book.
 */
import { eq, sql } from 'drizzle-orm';
import type { SessionUser } from '../auth/user';
import { preparedFor } from '../db/prepared';
import { enrolments, orders } from '../db/schema';
import { sha256 } from '../sha256';
import { bnDigits } from '../../format';

export interface Stamp {
	userId: number;
	name: string | null;
	email: string;
	/** The order that enrolled the buyer (none for an admin or a student enrolled by hand). */
	orderId: number | null;
}

const findOrder = preparedFor((db) =>
	db
		.select({ id: orders.id, name: orders.buyerName })
		.from(enrolments)
		.innerJoin(orders, eq(orders.id, enrolments.orderId))
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

export function stampFor(user: SessionUser): Stamp {
	const order = findOrder().get({ userId: user.id });
	const name = (user.name ?? order?.name ?? '').trim();
	return { userId: user.id, name: name || null, email: user.email, orderId: order?.id ?? null };
}

/** Whose copies a cached file is among ("unstamped" for the seller's), and what exactly is printed in it. */
export function stampKey(stamp: Stamp | null): { owner: string; digest: string } {
	if (!stamp) return { owner: 'unstamped', digest: 'none' };
	const digest = sha256(JSON.stringify([stamp.name, stamp.email, stamp.orderId])).slice(0, 12);
	return { owner: `user-${stamp.userId}`, digest };
}

/** Who the copy is for: "রহিম (rahim@example.com)", or the address alone. */
export function stampOwner(stamp: Stamp): string {
	return stamp.name ? `${stamp.name} (${stamp.email})` : stamp.email;
}

/** The line under every chapter. */
export function stampLine(stamp: Stamp): string {
	return `এই কপিটি ${stampOwner(stamp)}-এর জন্য তৈরি${stamp.orderId ? `, অর্ডার নং ${bnDigits(stamp.orderId)}` : ''}।`;
}

/** The title page's words about the copy. */
export function stampNotice(stamp: Stamp | null): string[] {
	if (!stamp) return ['বিক্রেতার কপি: কোনো ক্রেতার নাম নেই।'];
	return [stampLine(stamp), 'এই বইটি শুধু আপনার নিজের পড়ার জন্য। দয়া করে অন্য কাউকে কপি দেবেন না।'];
}
