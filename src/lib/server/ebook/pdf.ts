/**
 * The guide as an A5 PDF with pdfkit: cover, title page with the buyer's stamp, contents with page numbers,
 * one chapter per lesson (bookmarked, stamped at its end), page numbers in Bengali digits.
 */
import PDFDocument from 'pdfkit';
import { bnDigits } from '../../format';
import type { Book, Chapter } from './book';
import { COVER_COLOURS, wrapWords } from './cover';
import type { EpubOptions } from './epub';
import { lessonBlocks, plainInlines, type Block, type Inline } from './pdf-blocks';
import { TextSetter, type DrawnRun, type Line } from './pdf-text';
import { shape, type BookFont, type BookFonts } from './shaping';
import { stampLine, stampNotice } from './stamp';

export type PdfOptions = EpubOptions;

const A5 = { width: 419.53, height: 595.28 };
const MARGIN = { top: 54, bottom: 58, left: 46, right: 46 };
const TEXT_WIDTH = A5.width - MARGIN.left - MARGIN.right;
const COLOURS = { ink: '#1b1f1d', muted: '#4d5752', brand: '#0f5132', soft: '#eef5ef', line: '#dfe3dc' };
const BODY = 10.5;
const LEADING = 1.75;

interface FontHandle {
	font: { layout: (text: string) => unknown; getGlyph: (id: number) => { advanceWidth: number } };
}

/** Makes pdfkit draw the face with HarfBuzz's glyphs instead of shaping it with fontkit (see shaping.ts). */
function useHarfBuzz(doc: PDFKit.PDFDocument, face: BookFont): void {
	doc.font(face.name);
	const { font } = (doc as unknown as { _font: FontHandle })._font;
	// pdfkit keeps each word's layout, so every word is shaped once per book.
	font.layout = (text: string) => {
		const shaped = shape(face, text);
		const glyphs = shaped.map((g) => font.getGlyph(g.id));
		const positions = shaped.map((g) => ({
			xAdvance: g.xAdvance,
			yAdvance: 0,
			xOffset: g.xOffset,
			yOffset: g.yOffset
		}));
		return {
			glyphs,
			positions,
			get advanceWidth() {
				return positions.reduce((sum, p) => sum + p.xAdvance, 0);
			}
		};
	};
}

class Writer {
	readonly doc: PDFKit.PDFDocument;
	readonly setter: TextSetter;
	y = MARGIN.top;
	pageIndex = -1;

	constructor(
		readonly fonts: BookFonts,
		options: PdfOptions
	) {
		const { book, stamp, builtAt } = options;
		const info: Record<string, string | Date> = {
			Title: book.title,
			Author: book.author,
			Subject: book.subtitle,
			Creator: book.title,
			CreationDate: builtAt,
			ModDate: builtAt
		};
		if (stamp) {
			info.Keywords = stampLine(stamp);
			info.Buyer = stamp.name ?? '';
			info.BuyerEmail = stamp.email;
			if (stamp.orderId !== null) info.OrderId = String(stamp.orderId);
		}
		const settings: PDFKit.PDFDocumentOptions = {
			size: [A5.width, A5.height],
			margin: 0,
			autoFirstPage: false,
			bufferPages: true,
			lang: 'bn',
			displayTitle: true,
			info
		};
		// No standard font (pdfkit's types miss null): it would read Helvetica's metrics for nothing.
		this.doc = new PDFDocument({ ...settings, font: null as unknown as string });
		for (const face of fonts.faces) this.doc.registerFont(face.name, Buffer.from(face.bytes));
		this.setter = new TextSetter(fonts, this.doc, () => this.pageIndex);
		for (const face of fonts.faces) useHarfBuzz(this.doc, face);
	}

	newPage(): void {
		this.doc.addPage({ size: [A5.width, A5.height], margin: 0 });
		this.pageIndex++;
		this.y = MARGIN.top;
	}

	/** Moves to a new page unless height still fits on this one. */
	fit(height: number): void {
		if (this.y + height > A5.height - MARGIN.bottom) this.newPage();
	}

	/** Sets and draws inlines as a paragraph; returns the lines. */
	text(
		inlines: Inline[],
		{
			size = BODY,
			bold = false,
			colour = COLOURS.ink,
			indent = 0,
			leading = LEADING,
			align = 'left',
			width = TEXT_WIDTH - indent,
			after = size * 0.8
		}: {
			size?: number;
			bold?: boolean;
			colour?: string;
			indent?: number;
			leading?: number;
			align?: 'left' | 'center';
			width?: number;
			after?: number;
		} = {}
	): Line[] {
		const lines = this.setter.lines(inlines, size, width, bold);
		const step = size * leading;
		for (const line of lines) {
			this.fit(step);
			const x = MARGIN.left + indent + (align === 'center' ? (width - line.width) / 2 : 0);
			this.setter.draw(line, x, this.y + size * 1.15, size, colour, COLOURS.brand);
			this.y += step;
		}
		this.y += after;
		return lines;
	}

	rule(colour = COLOURS.line): void {
		this.doc
			.moveTo(MARGIN.left, this.y)
			.lineTo(A5.width - MARGIN.right, this.y)
			.lineWidth(0.6)
			.strokeColor(colour)
			.stroke();
		this.y += 8;
	}
}

function drawCover(w: Writer, book: Book): void {
	w.newPage();
	w.doc.rect(0, 0, A5.width, A5.height).fill(COVER_COLOURS.paper);
	w.doc.rect(MARGIN.left, 110, 40, 4).fill(COVER_COLOURS.muted);
	w.y = 150;
	for (const line of wrapWords(w.fonts, book.title, 700, 28, TEXT_WIDTH))
		w.text(plainInlines(line), {
			size: 28,
			bold: true,
			colour: COVER_COLOURS.ink,
			leading: 1.5,
			align: 'center',
			after: 0
		});
	w.y += 20;
	w.text(plainInlines(book.subtitle), { size: 12, colour: COVER_COLOURS.muted, align: 'center' });
	w.y = A5.height - 110;
	w.text(plainInlines(book.author), { size: 12, colour: COVER_COLOURS.ink, align: 'center' });
}

function drawTitlePage(w: Writer, { book, stamp }: PdfOptions): void {
	w.newPage();
	w.y = 120;
	w.text(plainInlines(book.title), { size: 22, bold: true, align: 'center', leading: 1.5, after: 10 });
	if (book.subtitle) w.text(plainInlines(book.subtitle), { size: 11, colour: COLOURS.muted, align: 'center' });
	w.text(plainInlines(book.author), { size: 11, align: 'center', after: 60 });
	w.rule();
	for (const line of stampNotice(stamp))
		w.text(plainInlines(line), { size: 9.5, colour: COLOURS.muted, align: 'center' });
}

const HEADING_SIZES = { 2: 13.5, 3: 12, 4: 11 } as const;

function drawBlock(w: Writer, block: Block): void {
	if (block.kind === 'rule') {
		w.fit(20);
		w.y += 6;
		w.rule();
		return;
	}
	if (block.kind === 'heading') {
		const size = HEADING_SIZES[block.level];
		// A heading is not left alone at the foot of a page.
		w.fit(size * 1.5 + BODY * LEADING * 2 + 12);
		w.y += size * 0.6;
		w.text(block.inlines, { size, bold: true, colour: COLOURS.brand, leading: 1.5, after: 4 });
		return;
	}
	const colour = block.quote ? COLOURS.muted : COLOURS.ink;
	const top = w.y;
	const page = w.pageIndex;
	if (block.marker) {
		w.fit(BODY * LEADING);
		const markerWidth = w.setter.width(block.marker, 400, BODY);
		const [line] = w.setter.lines(plainInlines(block.marker), BODY, 40);
		w.setter.draw(line, MARGIN.left + block.indent - markerWidth - 5, w.y + BODY * 1.15, BODY, colour, COLOURS.brand);
	}
	w.text(block.inlines, { indent: block.indent, colour });
	if (block.quote && w.pageIndex === page)
		w.doc.rect(MARGIN.left + block.indent - 10, top + 3, 2, w.y - top - BODY).fill(COLOURS.line);
}

function drawTask(w: Writer, task: string): void {
	const inner = TEXT_WIDTH - 24;
	const heading = w.setter.lines(plainInlines('এই পাঠের কাজ'), 11, inner, true);
	const lines = w.setter.lines(plainInlines(task), BODY, inner);
	const height = heading.length * 11 * 1.6 + lines.length * BODY * LEADING + 20;
	w.fit(height + 10);
	w.y += 6;
	w.doc.rect(MARGIN.left, w.y, TEXT_WIDTH, height).fill(COLOURS.soft);
	w.doc.rect(MARGIN.left, w.y, 3, height).fill(COLOURS.brand);
	w.y += 10;
	w.text(plainInlines('এই পাঠের কাজ'), {
		size: 11,
		bold: true,
		indent: 14,
		width: inner,
		leading: 1.6,
		after: 0,
		colour: COLOURS.brand
	});
	w.text(plainInlines(task), { indent: 14, width: inner, after: 0 });
	w.y += 16;
}

/** "পাঠ ৩: title", or the title alone for the introduction. */
export function entryTitle(chapter: Chapter): string {
	return chapter.label ? `${chapter.label}: ${chapter.title}` : chapter.title;
}

/** Draws the chapter from a new page; returns that page's index. */
function drawChapter(w: Writer, chapter: Chapter, options: PdfOptions): number {
	const { book, stamp, origin } = options;
	w.newPage();
	const first = w.pageIndex;
	w.doc.addNamedDestination(`chapter-${chapter.number}`);
	w.doc.outline.addItem(entryTitle(chapter));
	w.y = MARGIN.top + 20;
	if (chapter.label) w.text(plainInlines(chapter.label), { size: 10, colour: COLOURS.muted, after: 2 });
	w.text(plainInlines(chapter.title), { size: 18, bold: true, leading: 1.5, after: 6 });
	w.text(plainInlines(chapter.summary), { colour: COLOURS.muted, after: 10 });
	const links = {
		origin,
		chapter: (slug: string) => {
			const target = book.chapters.find((c) => c.slug === slug);
			return target ? `#chapter-${target.number}` : undefined;
		}
	};
	for (const block of lessonBlocks(chapter.body, links)) drawBlock(w, block);
	if (chapter.task) drawTask(w, chapter.task);
	if (stamp) {
		// In the bottom margin of the chapter's last page, above the page number: it never needs a page of its own.
		w.y = A5.height - MARGIN.bottom + 4;
		w.rule();
		for (const line of w.setter.lines(plainInlines(stampLine(stamp)), 7.5, TEXT_WIDTH)) {
			w.setter.draw(line, MARGIN.left, w.y + 7.5, 7.5, COLOURS.muted, COLOURS.brand);
			w.y += 11;
		}
	}
	return first;
}

/** The contents: set first (to know how many pages it takes), drawn once the chapters have their pages. */
function contentsLines(w: Writer, book: Book): Line[][] {
	return book.chapters.map((c) => w.setter.lines(plainInlines(entryTitle(c)), BODY, TEXT_WIDTH - 40));
}

function drawContents(w: Writer, book: Book, entries: Line[][], firstPage: number, chapterPages: number[]): void {
	w.doc.switchToPage(firstPage);
	w.pageIndex = firstPage;
	w.y = MARGIN.top + 20;
	w.text(plainInlines('সূচিপত্র'), { size: 18, bold: true, after: 12 });
	const step = BODY * LEADING;
	entries.forEach((lines, i) => {
		if (w.y + lines.length * step > A5.height - MARGIN.bottom) {
			w.doc.switchToPage(++w.pageIndex);
			w.y = MARGIN.top;
		}
		const top = w.y;
		for (const line of lines) {
			w.setter.draw(line, MARGIN.left, w.y + BODY * 1.15, BODY, COLOURS.ink, COLOURS.brand);
			w.y += step;
		}
		const number = bnDigits(chapterPages[i] + 1);
		const [numberLine] = w.setter.lines(plainInlines(number), BODY, 40);
		w.setter.draw(
			numberLine,
			A5.width - MARGIN.right - numberLine.width,
			top + BODY * 1.15,
			BODY,
			COLOURS.muted,
			COLOURS.brand
		);
		w.doc.goTo(MARGIN.left, top, TEXT_WIDTH, w.y - top, `chapter-${book.chapters[i].number}`);
		w.y += 4;
	});
}

function drawPageNumbers(w: Writer, from: number): void {
	const range = w.doc.bufferedPageRange();
	for (let page = from; page < range.start + range.count; page++) {
		w.doc.switchToPage(page);
		w.pageIndex = page;
		const [line] = w.setter.lines(plainInlines(bnDigits(page + 1)), 9, 60);
		w.setter.draw(line, (A5.width - line.width) / 2, A5.height - 18, 9, COLOURS.muted, COLOURS.brand);
	}
}

export interface PdfBuild {
	bytes: Uint8Array;
	/** The page (from 0) on which each chapter starts. */
	chapterPages: number[];
	/** The runs drawn on each page (see DrawnRun). */
	pages: DrawnRun[][];
}

export async function buildPdfWithLayout(given: PdfOptions): Promise<PdfBuild> {
	const { stamp, fonts } = given;
	// A name in a script the book's fonts do not have would print as empty boxes: the page then names the email alone.
	const options = stamp?.name && !fonts.covers(stamp.name) ? { ...given, stamp: { ...stamp, name: null } } : given;
	const w = new Writer(options.fonts, options);
	const { book } = options;
	const chunks: Buffer[] = [];
	w.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<void>((resolve, reject) => {
		w.doc.on('end', resolve);
		w.doc.on('error', reject);
	});

	drawCover(w, book);
	drawTitlePage(w, options);
	const contents = contentsLines(w, book);
	const contentsPage = w.pageIndex + 1;
	const contentsHeight = contents.reduce((sum, lines) => sum + lines.length * BODY * LEADING + 4, 60);
	const contentsPages = Math.ceil(contentsHeight / (A5.height - MARGIN.top - MARGIN.bottom));
	for (let i = 0; i < contentsPages; i++) w.newPage();
	const chapterPages = book.chapters.map((chapter) => drawChapter(w, chapter, options));
	drawContents(w, book, contents, contentsPage, chapterPages);
	drawPageNumbers(w, contentsPage);
	w.doc.end();
	await done;
	return { bytes: Buffer.concat(chunks), chapterPages, pages: w.setter.drawn };
}

export async function buildPdf(options: PdfOptions): Promise<Uint8Array> {
	return (await buildPdfWithLayout(options)).bytes;
}
