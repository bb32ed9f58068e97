import { stringify } from 'csv-stringify/sync';
import { asc, count, eq, max, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { enrolments, orders, paymentStates, progress, subscribers, suppressions, users } from '../db/schema';

/** One column of an export: its header and how each row fills it, side by side so they cannot drift apart. */
interface Column<Row> {
	header: string;
	value: (row: Row) => string | number | null;
}

function iso(ms: number | null): string {
	return ms === null ? '' : new Date(ms).toISOString();
}

const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no');

/**
 * Every cell quoted, CRLF line ends, and a BOM so that spreadsheet apps read Bengali names as UTF-8; a cell that
 * starts with = + - @ (a name, a user agent) gets a leading ' so a spreadsheet never runs it as a formula.
 */
function toCsv<Row>(columns: Column<Row>[], rows: Row[]): string {
	return stringify([columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.value(row) ?? ''))], {
		bom: true,
		escape_formulas: true,
		quoted: true,
		quoted_empty: true,
		record_delimiter: 'windows'
	});
}

const everyOrder = preparedFor((db) =>
	db
		.select({
			id: orders.id,
			createdAt: orders.createdAt,
			email: orders.buyerEmail,
			name: orders.buyerName,
			amount: orders.amount,
			currency: orders.currency,
			promotionCode: orders.promotionCode,
			checkoutSessionId: orders.checkoutSessionId,
			paymentIntentId: orders.paymentIntentId,
			refunded: sql<boolean>`coalesce(${paymentStates.refunded}, 0)`.mapWith(Boolean),
			disputeStatus: paymentStates.disputeStatus,
			enrolment: enrolments.status
		})
		.from(orders)
		.leftJoin(paymentStates, eq(paymentStates.paymentIntentId, orders.paymentIntentId))
		.leftJoin(enrolments, eq(enrolments.orderId, orders.id))
		.orderBy(asc(orders.id))
		.prepare()
);

type OrderRow = ReturnType<ReturnType<typeof everyOrder>['all']>[number];

const ORDER_COLUMNS: Column<OrderRow>[] = [
	{ header: 'order', value: (r) => r.id },
	{ header: 'date', value: (r) => iso(r.createdAt) },
	{ header: 'email', value: (r) => r.email },
	{ header: 'name', value: (r) => r.name },
	{ header: 'amount_minor', value: (r) => r.amount },
	{ header: 'currency', value: (r) => r.currency },
	{ header: 'promotion_code', value: (r) => r.promotionCode },
	{ header: 'checkout_session', value: (r) => r.checkoutSessionId },
	{ header: 'payment_intent', value: (r) => r.paymentIntentId },
	{ header: 'refunded', value: (r) => yesNo(r.refunded) },
	{ header: 'dispute', value: (r) => r.disputeStatus },
	{ header: 'enrolment', value: (r) => r.enrolment }
];

// The consent evidence of each address on the list, and why no mail goes to it, if none does.
const everySubscriber = preparedFor((db) =>
	db
		.select({
			email: subscribers.email,
			name: subscribers.name,
			status: subscribers.status,
			consentAt: subscribers.consentAt,
			consentPage: subscribers.consentPage,
			consentForm: subscribers.consentForm,
			consentIp: subscribers.consentIp,
			consentUserAgent: subscribers.consentUserAgent,
			consentTextVersion: subscribers.consentTextVersion,
			confirmedAt: subscribers.confirmedAt,
			unsubscribedAt: subscribers.unsubscribedAt,
			suppressed: sql<string | null>`group_concat(${suppressions.reason})`
		})
		.from(subscribers)
		.leftJoin(suppressions, eq(suppressions.email, subscribers.email))
		.groupBy(subscribers.id)
		.orderBy(asc(subscribers.id))
		.prepare()
);

type SubscriberRow = ReturnType<ReturnType<typeof everySubscriber>['all']>[number];

const SUBSCRIBER_COLUMNS: Column<SubscriberRow>[] = [
	{ header: 'email', value: (r) => r.email },
	{ header: 'name', value: (r) => r.name },
	{ header: 'status', value: (r) => r.status },
	{ header: 'consent_at', value: (r) => iso(r.consentAt) },
	{ header: 'consent_page', value: (r) => r.consentPage },
	{ header: 'consent_form', value: (r) => r.consentForm },
	{ header: 'consent_ip', value: (r) => r.consentIp },
	{ header: 'consent_user_agent', value: (r) => r.consentUserAgent },
	{ header: 'consent_text_version', value: (r) => r.consentTextVersion },
	{ header: 'confirmed_at', value: (r) => iso(r.confirmedAt) },
	{ header: 'unsubscribed_at', value: (r) => iso(r.unsubscribedAt) },
	{ header: 'suppressed', value: (r) => r.suppressed }
];

const everyStudent = preparedFor((db) =>
	db
		.select({
			email: users.email,
			name: users.name,
			status: enrolments.status,
			enrolledAt: enrolments.enrolledAt,
			allLessonsOpen: enrolments.allLessonsOpen,
			// count() of a column counts its non-null values: the lessons finished.
			done: count(progress.completedAt),
			lastViewedAt: max(progress.lastViewedAt)
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.leftJoin(progress, eq(progress.userId, users.id))
		.groupBy(enrolments.id)
		.orderBy(asc(enrolments.enrolledAt))
		.prepare()
);

type StudentRow = ReturnType<ReturnType<typeof everyStudent>['all']>[number];

const STUDENT_COLUMNS: Column<StudentRow>[] = [
	{ header: 'email', value: (r) => r.email },
	{ header: 'name', value: (r) => r.name },
	{ header: 'status', value: (r) => r.status },
	{ header: 'enrolled', value: (r) => iso(r.enrolledAt) },
	{ header: 'all_lessons_open', value: (r) => yesNo(r.allLessonsOpen) },
	{ header: 'lessons_done', value: (r) => r.done },
	{ header: 'last_viewed', value: (r) => iso(r.lastViewedAt) }
];

const EXPORTS: Record<string, () => string> = {
	orders: () => toCsv(ORDER_COLUMNS, everyOrder().all()),
	subscribers: () => toCsv(SUBSCRIBER_COLUMNS, everySubscriber().all()),
	students: () => toCsv(STUDENT_COLUMNS, everyStudent().all())
};

export function exportKinds(): string[] {
	return Object.keys(EXPORTS);
}

/** The CSV of one kind of export, or undefined for any other name (__proto__ and constructor included). */
export function exportCsv(kind: string): string | undefined {
	return Object.hasOwn(EXPORTS, kind) ? EXPORTS[kind]() : undefined;
}
