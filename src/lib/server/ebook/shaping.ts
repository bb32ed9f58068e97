/**
 * Bengali text shaped by HarfBuzz (harfbuzzjs, the shaper Chromium uses) for the PDF and the cover.
 * fontkit, which pdfkit shapes with, gets Bengali wrong in about 40% of this course's words (the
 * word-initial form of ে used inside words, other forms of ু and conjuncts), so pdfkit is handed
 * HarfBuzz's glyphs instead (pdf.ts).
 */
import * as hb from 'harfbuzzjs';

/** One of the subset TrueType files that scripts/subset-font.ts writes for the book. */
export interface BookFontFile {
	/** Noto Sans Bengali's two halves, and DejaVu Sans for what neither has (→). */
	subset: 'bengali' | 'latin' | 'symbols';
	weight: 400 | 700;
	file: string;
	bytes: Uint8Array;
}

export interface BookFont extends BookFontFile {
	/** The name the PDF registers it under and the EPUB's CSS calls it by. */
	name: string;
	family: string;
	upem: number;
	ascender: number;
	descender: number;
	hb: hb.Font;
	codePoints: ReadonlySet<number>;
}

export interface Glyph {
	id: number;
	/** Index in the run's text of the first character this glyph stands for. */
	cluster: number;
	xAdvance: number;
	xOffset: number;
	yOffset: number;
}

export interface Run {
	font: BookFont;
	text: string;
}

export const FAMILIES = { bengali: 'Book Bengali', latin: 'Book Latin', symbols: 'Book Symbols' } as const;

// Characters that join whatever run they are in: they only make sense with their neighbours.
const JOINERS = new Set([0x200c, 0x200d, 0x25cc]);
const joins = (char: string): boolean => JOINERS.has(char.codePointAt(0)!) || /\p{M}/u.test(char);

/** The book's fonts: Bengali and Latin faces in two weights, and the choice of face for each character. */
export class BookFonts {
	readonly faces: BookFont[];

	constructor(files: BookFontFile[]) {
		// Bengali first: the space, ZWJ and danda that both carry belong with the Bengali text around them.
		const order = (f: BookFontFile) => ['bengali', 'latin', 'symbols'].indexOf(f.subset) * 1000 + f.weight;
		this.faces = [...files]
			.sort((a, b) => order(a) - order(b))
			.map((file) => {
				const face = new hb.Face(new hb.Blob(file.bytes));
				const font = new hb.Font(face);
				const extents = font.hExtents();
				return {
					...file,
					name: `${file.subset}-${file.weight}`,
					family: FAMILIES[file.subset],
					upem: face.upem,
					ascender: extents.ascender,
					descender: extents.descender,
					hb: font,
					codePoints: new Set(face.collectUnicodes())
				};
			});
	}

	/** The faces to draw a weight with, in order of choice; a face with one weight (symbols) serves both. */
	weight(weight: 400 | 700): BookFont[] {
		return this.faces.filter(
			(f) => f.weight === weight || !this.faces.some((g) => g.subset === f.subset && g.weight === weight)
		);
	}

	/** Whether every character of text has a glyph in one of the faces. */
	covers(text: string): boolean {
		return [...text].every((c) => joins(c) || this.faces.some((f) => f.codePoints.has(c.codePointAt(0)!)));
	}

	/** text cut into runs that each one face can draw, keeping a run going while its face has the next character. */
	runs(text: string, weight: 400 | 700): Run[] {
		const faces = this.weight(weight);
		const runs: Run[] = [];
		let current: Run | undefined;
		for (const char of text) {
			const code = char.codePointAt(0)!;
			if (current && (joins(char) || current.font.codePoints.has(code))) {
				current.text += char;
				continue;
			}
			const font = faces.find((f) => f.codePoints.has(code)) ?? current?.font ?? faces[0];
			if (current?.font === font) current.text += char;
			else runs.push((current = { font, text: char }));
		}
		return runs;
	}
}

// Every buyer's book has the same words: each is shaped once per process (bounded, for stamps and edits).
const shaped = new Map<string, Glyph[]>();
const SHAPED_MAX = 50_000;

/** The glyphs of one run, in font units: what HarfBuzz makes of it. */
export function shape(font: BookFont, text: string): Glyph[] {
	const key = `${font.name}\n${text}`;
	let glyphs = shaped.get(key);
	if (!glyphs) {
		if (shaped.size >= SHAPED_MAX) shaped.clear();
		glyphs = shapeNow(font, text);
		shaped.set(key, glyphs);
	}
	return glyphs;
}

function shapeNow(font: BookFont, text: string): Glyph[] {
	const buffer = new hb.Buffer();
	buffer.addText(text);
	buffer.guessSegmentProperties();
	hb.shape(font.hb, buffer);
	const positions = buffer.getGlyphPositions();
	// addText hands HarfBuzz UTF-16, so clusters are indexes into the JavaScript string.
	return buffer.getGlyphInfos().map((info, i) => ({
		id: info.codepoint,
		cluster: info.cluster,
		xAdvance: positions[i].xAdvance,
		xOffset: positions[i].xOffset,
		yOffset: positions[i].yOffset
	}));
}

/** The width of text in points at size, shaped. */
export function widthOf(fonts: BookFonts, text: string, weight: 400 | 700, size: number): number {
	let width = 0;
	for (const run of fonts.runs(text, weight))
		for (const glyph of shape(run.font, run.text)) width += (glyph.xAdvance * size) / run.font.upem;
	return width;
}
