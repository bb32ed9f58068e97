/**
 * Lines of text for the PDF: words measured with HarfBuzz, broken greedily at spaces, drawn by pdfkit with
 * HarfBuzz's glyphs. pdfkit's own line wrapper measures with fontkit and cannot mix the Bengali and Latin
 * faces inside one line, so the lines are set here. Each line carries its text as /ActualText, so that
 * copying or searching gives the words as typed (Bengali vowel signs drawn before their consonant included).
 */
import type { Inline, InlineStyle } from './pdf-blocks';
import { shape, type BookFont, type BookFonts, type Glyph } from './shaping';

interface Segment {
	text: string;
	style: InlineStyle;
	width: number;
}

interface Word {
	segments: Segment[];
	width: number;
	/** A space follows (dropped at the end of a line). */
	space: boolean;
	/** A line break follows (<br>, or a new line in preformatted text). */
	breakAfter: boolean;
}

export interface Line {
	words: Word[];
	width: number;
	text: string;
}

/** What was drawn, run by run: the test draws the same runs in Chromium to compare the two renderings. */
export interface DrawnRun {
	text: string;
	family: string;
	weight: 400 | 700;
	/** Left edge and baseline, in points from the page's top left. */
	x: number;
	y: number;
	size: number;
}

export interface TextDoc {
	font(name: string): TextDoc;
	fontSize(size: number): TextDoc;
	fillColor(colour: string): TextDoc;
	text(text: string, x: number, y: number, options: Record<string, unknown>): TextDoc;
	markContent(tag: string, options: Record<string, unknown>): TextDoc;
	endMarkedContent(): TextDoc;
	link(x: number, y: number, w: number, h: number, url: string): TextDoc;
	goTo(x: number, y: number, w: number, h: number, name: string): TextDoc;
}

const SPACE = ' ';

export class TextSetter {
	readonly drawn: DrawnRun[][] = [];
	private shaped = new Map<string, { font: BookFont; text: string; glyphs: Glyph[]; width: number }[]>();

	constructor(
		readonly fonts: BookFonts,
		private doc: TextDoc,
		private page: () => number
	) {}

	/** text in runs of one face each, shaped, with their widths at size 1000. */
	runs(text: string, weight: 400 | 700): { font: BookFont; text: string; glyphs: Glyph[]; width: number }[] {
		const key = `${weight}:${text}`;
		let runs = this.shaped.get(key);
		if (!runs) {
			runs = this.fonts.runs(text, weight).map((run) => {
				const glyphs = shape(run.font, run.text);
				const width = (glyphs.reduce((sum, g) => sum + g.xAdvance, 0) * 1000) / run.font.upem;
				return { ...run, glyphs, width };
			});
			this.shaped.set(key, runs);
		}
		return runs;
	}

	width(text: string, weight: 400 | 700, size: number): number {
		return (this.runs(text, weight).reduce((sum, r) => sum + r.width, 0) * size) / 1000;
	}

	private words(inlines: Inline[], size: number, bold: boolean): Word[] {
		const words: Word[] = [];
		let word: Word | undefined;
		const close = (space: boolean, breakAfter: boolean) => {
			if (word) {
				word.space ||= space;
				word.breakAfter ||= breakAfter;
				words.push(word);
				word = undefined;
			} else if (breakAfter && words.length) words[words.length - 1].breakAfter = true;
			else if (breakAfter) words.push({ segments: [], width: 0, space: false, breakAfter: true });
		};
		for (const inline of inlines) {
			const style = bold ? { ...inline.style, bold: true } : inline.style;
			for (const part of inline.text.split(/(\n|[ \t\u00a0]+)/)) {
				if (part === '') continue;
				if (part === '\n') close(false, true);
				else if (/^[ \t\u00a0]+$/.test(part)) close(true, false);
				else {
					word ??= { segments: [], width: 0, space: false, breakAfter: false };
					const width = this.width(part, style.bold ? 700 : 400, size);
					word.segments.push({ text: part, style, width });
					word.width += width;
				}
			}
		}
		close(false, false);
		return words;
	}

	/** inlines set in lines no wider than width. */
	lines(inlines: Inline[], size: number, width: number, bold = false): Line[] {
		const space = this.width(SPACE, 400, size);
		const lines: Line[] = [];
		let line: Word[] = [];
		let lineWidth = 0;
		const finish = () => {
			const text = line
				.map((w, i) => w.segments.map((s) => s.text).join('') + (w.space && i < line.length - 1 ? SPACE : ''))
				.join('');
			lines.push({ words: line, width: lineWidth, text });
			line = [];
			lineWidth = 0;
		};
		for (const word of this.words(inlines, size, bold)) {
			const before = line.length && line[line.length - 1].space ? space : 0;
			if (line.length && lineWidth + before + word.width > width) finish();
			lineWidth += (line.length && line[line.length - 1].space ? space : 0) + word.width;
			line.push(word);
			if (word.breakAfter) finish();
		}
		if (line.length) finish();
		return lines;
	}

	/** Draws a line with its left edge at x and its baseline at y. */
	draw(line: Line, x: number, y: number, size: number, colour: string, linkColour: string): void {
		const doc = this.doc;
		const space = this.width(SPACE, 400, size);
		const runs: DrawnRun[] = [];
		doc.markContent('Span', { actual: line.text });
		for (const [i, word] of line.words.entries()) {
			for (const segment of word.segments) {
				const weight = segment.style.bold ? 700 : 400;
				const start = x;
				for (const run of this.runs(segment.text, weight)) {
					doc
						.font(run.font.name)
						.fontSize(size)
						.fillColor(segment.style.href ? linkColour : colour)
						.text(run.text, x, y, {
							lineBreak: false,
							baseline: 'alphabetic',
							oblique: segment.style.italic ? 12 : undefined,
							strike: segment.style.strike || undefined
						});
					runs.push({ text: run.text, family: run.font.family, weight, x, y, size });
					x += (run.width * size) / 1000;
				}
				const href = segment.style.href;
				if (href?.startsWith('#')) doc.goTo(start, y - size, x - start, size * 1.3, href.slice(1));
				else if (href) doc.link(start, y - size, x - start, size * 1.3, href);
			}
			if (word.space && i < line.words.length - 1) x += space;
		}
		doc.endMarkedContent();
		(this.drawn[this.page()] ??= []).push(...runs);
	}
}
