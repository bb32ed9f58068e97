/** What /admin/broadcasts shows: the list with counts, and one broadcast with its preview and what it did. */
import type { BroadcastStatus } from '../db/schema';
import { composeBroadcast, renderBroadcast } from './mail';
import { countSegment, segmentLabel } from './segments';
import { broadcastStats, type BroadcastStats } from './stats';
import { findBroadcast, listBroadcasts, segmentOf, type BroadcastRow } from './store';

export interface BroadcastSummary {
	id: number;
	file: string | null;
	subject: string;
	segment: string;
	status: BroadcastStatus;
	sendAt: number | null;
	/** Who it reaches now (not started), or who it was queued for. */
	count: number;
	sent: number | null;
}

/** Recipients now for one not yet started; the queued count once it has. */
export function recipientCount(row: BroadcastRow): number {
	if (row.status === 'draft' || row.status === 'scheduled') return countSegment(segmentOf(row));
	return row.recipients ?? 0;
}

function started(row: BroadcastRow): boolean {
	return row.status === 'queuing' || row.status === 'queued';
}

export function listBroadcastSummaries(): BroadcastSummary[] {
	return listBroadcasts().map((row) => ({
		id: row.id,
		file: row.file,
		subject: row.subject,
		segment: segmentLabel(segmentOf(row)),
		status: row.status,
		sendAt: row.sendAt,
		count: row.status === 'cancelled' ? 0 : recipientCount(row),
		sent: started(row) ? broadcastStats(row.id).sent : null
	}));
}

export interface BroadcastPage {
	broadcast: BroadcastSummary & { createdBy: string | null; startedAt: number | null; cancelledAt: number | null };
	/** The mail as the seller's own address would get it: HTML for a phone-wide frame, and its plain text. */
	preview: { subject: string; html: string; text: string };
	stats: BroadcastStats | null;
}

export function broadcastPage(id: number, adminEmail: string): BroadcastPage | undefined {
	const row = findBroadcast(id);
	if (!row) return undefined;
	const mail = composeBroadcast(renderBroadcast(row), adminEmail);
	return {
		broadcast: {
			id: row.id,
			file: row.file,
			subject: row.subject,
			segment: segmentLabel(segmentOf(row)),
			status: row.status,
			sendAt: row.sendAt,
			count: row.status === 'cancelled' ? 0 : recipientCount(row),
			sent: null,
			createdBy: row.createdBy,
			startedAt: row.startedAt,
			cancelledAt: row.cancelledAt
		},
		preview: { subject: mail.subject, html: mail.html, text: mail.text },
		stats: started(row) ? broadcastStats(row.id) : null
	};
}
