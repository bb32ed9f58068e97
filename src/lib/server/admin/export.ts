import { db } from '../db';

/** One CSV cell: quoted, and defused so a spreadsheet never runs a cell that starts with = + - @ as a formula. */
function cell(value: unknown): string {
	let text = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return `"${text.replace(/"/g, '""')}"`;
}

function iso(ms: unknown): string {
	return typeof ms === 'number' ? new Date(ms).toISOString() : '';
}

function toCsv(header: string[], rows: unknown[][]): string {
	// The BOM lets spreadsheet apps read Bengali names as UTF-8.
	return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const EXPORTS: Record<string, () => string> = {
	orders() {
		const rows = db()
			.$client.prepare(
				`select o.id, o.created_at, o.buyer_email, o.buyer_name, o.amount, o.currency, o.promotion_code,
				        o.checkout_session_id, o.payment_intent_id, coalesce(p.refunded, 0) as refunded, p.dispute_status,
				        coalesce(e.status, '') as enrolment
				   from orders o
				   left join payment_states p on p.payment_intent_id = o.payment_intent_id
				   left join enrolments e on e.order_id = o.id
				  order by o.id`
			)
			.all() as Record<string, unknown>[];
		return toCsv(
			[
				'order',
				'date',
				'email',
				'name',
				'amount_minor',
				'currency',
				'promotion_code',
				'checkout_session',
				'payment_intent',
				'refunded',
				'dispute',
				'enrolment'
			],
			rows.map((r) => [
				r.id,
				iso(r.created_at),
				r.buyer_email,
				r.buyer_name,
				r.amount,
				r.currency,
				r.promotion_code,
				r.checkout_session_id,
				r.payment_intent_id,
				r.refunded ? 'yes' : 'no',
				r.dispute_status,
				r.enrolment
			])
		);
	},
	subscribers() {
		const rows = db()
			.$client.prepare(
				`select s.email, s.name, s.status, s.consent_at, s.consent_page, s.consent_form, s.consent_ip,
				        s.consent_user_agent, s.consent_text_version, s.confirmed_at, s.unsubscribed_at,
				        (select group_concat(reason) from suppressions x where x.email = s.email) as suppressed
				   from subscribers s order by s.id`
			)
			.all() as Record<string, unknown>[];
		return toCsv(
			[
				'email',
				'name',
				'status',
				'consent_at',
				'consent_page',
				'consent_form',
				'consent_ip',
				'consent_user_agent',
				'consent_text_version',
				'confirmed_at',
				'unsubscribed_at',
				'suppressed'
			],
			rows.map((r) => [
				r.email,
				r.name,
				r.status,
				iso(r.consent_at),
				r.consent_page,
				r.consent_form,
				r.consent_ip,
				r.consent_user_agent,
				r.consent_text_version,
				iso(r.confirmed_at),
				iso(r.unsubscribed_at),
				r.suppressed
			])
		);
	},
	students() {
		const rows = db()
			.$client.prepare(
				`select u.email, u.name, e.status, e.enrolled_at, e.all_lessons_open,
				        (select count(*) from progress p where p.user_id = u.id and p.completed_at is not null) as done,
				        (select max(p.last_viewed_at) from progress p where p.user_id = u.id) as last_viewed
				   from enrolments e join users u on u.id = e.user_id order by e.enrolled_at`
			)
			.all() as Record<string, unknown>[];
		return toCsv(
			['email', 'name', 'status', 'enrolled', 'all_lessons_open', 'lessons_done', 'last_viewed'],
			rows.map((r) => [
				r.email,
				r.name,
				r.status,
				iso(r.enrolled_at),
				r.all_lessons_open ? 'yes' : 'no',
				r.done,
				iso(r.last_viewed)
			])
		);
	}
};

export function exportKinds(): string[] {
	return Object.keys(EXPORTS);
}

/** The CSV of one kind of export, or undefined for any other name (__proto__ and constructor included). */
export function exportCsv(kind: string): string | undefined {
	return Object.hasOwn(EXPORTS, kind) ? EXPORTS[kind]() : undefined;
}
