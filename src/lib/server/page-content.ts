/**
 * The seller's words as the pages show them: the legal pages and the FAQ with their {{placeholders}} filled
 * from course.yaml and the environment, rendered to HTML once on first use; and the student count.
 */
import { count, eq } from 'drizzle-orm';
import { bnDigits, formatPrice } from '../format';
import { course } from './course';
import { db } from './db';
import { once } from './db/prepared';
import { enrolments } from './db/schema';
import { config } from './env';
import { renderMarkdown } from './markdown';
import type { LegalPageSlug } from '../legal-pages';
import { fillPlaceholders, type PlaceholderValues } from './placeholders';

export interface RenderedPage {
	title: string;
	summary: string | undefined;
	/** Sanitized HTML of the body. */
	html: string;
}

export interface RenderedFaq {
	question: string;
	/** Sanitized HTML of the answer. */
	html: string;
}

/** The seller as the legal pages name them. */
export function sellerName(): string {
	const { storefront, author } = course();
	return storefront.seller ?? author;
}

/** The address buyers write to: contact_email in course.yaml, else the address in MAIL_FROM. */
export function contactEmail(): string {
	const from = config().mailFrom;
	return course().storefront.contactEmail ?? /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
}

export function placeholderValues(): PlaceholderValues {
	const { title, price, currency, lessons, storefront } = course();
	const { origin, mailPostalAddress } = config();
	return {
		course_title: title,
		course_url: `${origin}/`,
		price: formatPrice(price, currency),
		seller: sellerName(),
		contact_email: contactEmail(),
		postal_address: mailPostalAddress ?? '(ডাক-ঠিকানা এখনো দেওয়া হয়নি)',
		refund_days: storefront.refundDays === undefined ? '' : bnDigits(storefront.refundDays),
		lessons_open_at_once: bnDigits(lessons.filter((l) => l.dripDay === 0).length),
		days_to_all_lessons: bnDigits(Math.max(0, ...lessons.map((l) => l.dripDay)))
	};
}

// Rendered once: the course and the environment are read at start-up and do not change while the store runs.
let pages: Map<LegalPageSlug, RenderedPage> | undefined;
let faq: RenderedFaq[] | undefined;

export function legalPage(slug: LegalPageSlug): RenderedPage | undefined {
	if (!pages) {
		const values = placeholderValues();
		pages = new Map(
			course().pages.map((p) => [
				p.slug,
				{ title: p.title, summary: p.summary, html: renderMarkdown(fillPlaceholders(p.markdown, values)) }
			])
		);
	}
	return pages.get(slug);
}

export function faqItems(): RenderedFaq[] {
	if (!faq) {
		const values = placeholderValues();
		faq = course().storefront.faq.map((item) => ({
			question: item.question,
			html: renderMarkdown(fillPlaceholders(item.answer, values))
		}));
	}
	return faq;
}

const countActiveStudents = once(() =>
	db().select({ n: count() }).from(enrolments).where(eq(enrolments.status, 'active')).prepare()
);

/** How many students to show on the sales page: null unless the seller asked for it and the real count has reached the threshold. */
export function shownStudentCount(): number | null {
	const { showStudentCount, studentCountThreshold } = course().storefront;
	if (!showStudentCount) return null;
	const n = countActiveStudents().get()?.n ?? 0;
	return n >= studentCountThreshold ? n : null;
}
