/**
 * The cover, generated from the course title: an SVG whose words are glyph outlines, shaped by HarfBuzz,
 * so that it shows the same in every ebook app and library thumbnail, with or without a Bengali font.
 */
import type { Book } from './book';
import { shape, widthOf, type BookFonts } from './shaping';
import { escapeXml } from './xhtml';

const WIDTH = 600;
const HEIGHT = 900;
const MARGIN = 60;
export const COVER_COLOURS = { paper: '#0f5132', ink: '#ffffff', muted: '#cfe3d6' };

/** Words of text in lines no wider than width at size. */
export function wrapWords(fonts: BookFonts, text: string, weight: 400 | 700, size: number, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const candidate = line ? `${line} ${word}` : word;
		if (line && widthOf(fonts, candidate, weight, size) > width) {
			lines.push(line);
			line = word;
		} else line = candidate;
	}
	if (line) lines.push(line);
	return lines;
}

function outlines(fonts: BookFonts, text: string, weight: 400 | 700, size: number, y: number, fill: string): string {
	let x = (WIDTH - widthOf(fonts, text, weight, size)) / 2;
	let paths = '';
	for (const run of fonts.runs(text, weight)) {
		const scale = size / run.font.upem;
		for (const glyph of shape(run.font, run.text)) {
			const d = run.font.hb.glyphToPath(glyph.id);
			if (d) {
				const gx = (x + glyph.xOffset * scale).toFixed(2);
				const gy = (y - glyph.yOffset * scale).toFixed(2);
				paths += `<path transform="translate(${gx} ${gy}) scale(${scale.toFixed(5)} ${(-scale).toFixed(5)})" d="${d}"/>`;
			}
			x += glyph.xAdvance * scale;
		}
	}
	return `<g fill="${fill}">${paths}</g>`;
}

function block(
	fonts: BookFonts,
	text: string,
	weight: 400 | 700,
	size: number,
	top: number,
	fill: string
): { svg: string; bottom: number } {
	const leading = size * 1.45;
	const lines = text ? wrapWords(fonts, text, weight, size, WIDTH - 2 * MARGIN) : [];
	const svg = lines.map((line, i) => outlines(fonts, line, weight, size, top + size + i * leading, fill)).join('');
	return { svg, bottom: top + lines.length * leading };
}

export function coverSvg(book: Book, fonts: BookFonts): string {
	const title = block(fonts, book.title, 700, 58, 220, COVER_COLOURS.ink);
	const subtitle = block(fonts, book.subtitle, 400, 26, title.bottom + 40, COVER_COLOURS.muted);
	const author = block(fonts, book.author, 400, 26, HEIGHT - 150, COVER_COLOURS.ink);
	return (
		`<?xml version="1.0" encoding="UTF-8"?>\n` +
		`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">` +
		`<title>${escapeXml(book.title)}</title>` +
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="${COVER_COLOURS.paper}"/>` +
		`<rect x="${MARGIN}" y="150" width="80" height="8" fill="${COVER_COLOURS.muted}"/>` +
		title.svg +
		subtitle.svg +
		author.svg +
		`</svg>\n`
	);
}
