/**
 * The 1200 × 630 picture a link preview shows (Facebook, Messenger, WhatsApp): title, subtitle, author and
 * price, drawn in the store's own Bengali webfont. Drawn with Skia through @napi-rs/canvas, which shapes
 * text with HarfBuzz, so conjuncts, reph and vowel signs come out as in a browser (resvg 2.6 misplaces
 * Bengali's pre-base vowel signs; satori does not shape at all). tests/share-image.test.ts holds the
 * title against Chromium's rendering of the same text. Skia is imported on first use, not at start-up.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { formatPrice } from '../format';
import type { Course, Lesson } from './course';

export const SHARE_IMAGE_WIDTH = 1200;
export const SHARE_IMAGE_HEIGHT = 630;

/** What a card says. */
export interface ShareCard {
	kicker: string;
	title: string;
	subtitle: string;
	/** Bottom left, e.g. "লিখেছেন …". */
	byline: string;
	/** Bottom right, in a pill: the price. */
	badge: string;
	/** The image's alt text (og:image:alt). */
	alt: string;
}

/** A face of the store's webfont: the Bengali or the Latin part of Noto Sans Bengali, at one weight. */
export interface ShareFontFile {
	script: 'bengali' | 'latin';
	weight: number;
	data: Buffer;
}

const COLORS = {
	background: '#0f5132',
	title: '#ffffff',
	subtitle: '#d9ebdf',
	kicker: '#ffd27a',
	band: '#fbfaf6',
	byline: '#1b1f1d',
	badge: '#b35c00',
	badgeText: '#ffffff'
};
const PAD = 72;
const BAND_HEIGHT = 118;
/** The green part above the band, less a margin at its top and bottom. */
const CONTENT_TOP = 44;
const CONTENT_BOTTOM = SHARE_IMAGE_HEIGHT - BAND_HEIGHT - 30;
const KICKER_SIZE = 28;
const TITLE_SIZES = [84, 76, 68, 62, 56, 50, 44];
const SUBTITLE_SIZES = [34, 31, 28, 26];
const MAX_TITLE_LINES = 3;
const MAX_SUBTITLE_LINES = 3;
// Bengali has tall marks above (ি, reph) and below (ু, ্র): lines want more room than Latin.
const LINE_HEIGHT = 1.42;
const GAP = 22;
// Registered under these names, so no system font of the same name can stand in.
const FAMILIES = { bengali: 'Share Card Bengali', latin: 'Share Card Latin' };

export function courseShareCard(course: Course): ShareCard {
	return {
		kicker: 'বাংলায় অনলাইন কোর্স',
		title: course.title,
		subtitle: course.subtitle,
		byline: `লিখেছেন ${course.author}`,
		badge: formatPrice(course.price, course.currency),
		alt: [course.title, course.subtitle].filter(Boolean).join(': ')
	};
}

export function lessonShareCard(course: Course, lesson: Lesson): ShareCard {
	return {
		kicker: `ফ্রি পাঠ · ${course.title}`,
		title: lesson.title,
		subtitle: lesson.summary,
		byline: `লিখেছেন ${course.author}`,
		badge: `পুরো কোর্স ${formatPrice(course.price, course.currency)}`,
		alt: `${lesson.title}: ${course.title}-এর ফ্রি পাঠ`
	};
}

/** The CSS font shorthand for text in the store's font at a weight and size. */
export function shareFont(weight: number, size: number): string {
	return `${weight} ${size}px "${FAMILIES.bengali}", "${FAMILIES.latin}"`;
}

let registered = false;

/** Registers the webfont's faces with Skia, once per process. */
export async function registerShareFonts(files: ShareFontFile[]): Promise<void> {
	if (registered) return;
	const { GlobalFonts } = await import('@napi-rs/canvas');
	for (const file of files)
		if (!GlobalFonts.register(file.data, FAMILIES[file.script]))
			throw new Error(`share image: Skia could not read the ${file.script} ${file.weight} font`);
	registered = true;
}

export interface TextBlock {
	lines: string[];
	size: number;
	weight: number;
	/** The baseline of each line. */
	baselines: number[];
}

export interface CardLayout {
	x: number;
	kicker: TextBlock;
	title: TextBlock;
	subtitle: TextBlock;
}

type Measure = (text: string, weight: number, size: number) => number;

/** Greedy word wrap; a word wider than the line stays whole (the caller then tries a smaller size). */
function wrap(text: string, width: number, measure: (t: string) => number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const tried = line ? `${line} ${word}` : word;
		if (line && measure(tried) > width) {
			lines.push(line);
			line = word;
		} else line = tried;
	}
	if (line) lines.push(line);
	return lines;
}

/** The text, or as many of its words as fit in width followed by "…". */
function fitLine(text: string, width: number, measure: (t: string) => number): string {
	if (measure(text) <= width) return text;
	let words = text.split(' ');
	while (words.length > 1 && measure(`${words.join(' ')}…`) > width) words = words.slice(0, -1);
	return `${words.join(' ')}…`;
}

/** The first max lines, the last of them ending in "…" when text was cut. */
function clip(lines: string[], max: number, width: number, measure: (t: string) => number): string[] {
	if (lines.length <= max) return lines;
	if (max === 0) return [];
	const kept = lines.slice(0, max);
	kept[max - 1] = fitLine(`${kept[max - 1]} ${lines[max]}`, width, measure);
	return kept;
}

function block(lines: string[], weight: number, size: number, top: number): TextBlock {
	const baselines = lines.map((_, i) => Math.round(top + size * 1.05 + i * size * LINE_HEIGHT));
	return { lines, size, weight, baselines };
}

function height(lines: number, size: number): number {
	return lines ? size * 1.05 + (lines - 1) * size * LINE_HEIGHT + size * 0.4 : 0;
}

/** Where every line goes: the largest title and subtitle sizes whose lines fit the card. */
function layoutShareCard(card: ShareCard, measure: Measure): CardLayout {
	const width = SHARE_IMAGE_WIDTH - 2 * PAD;
	const kickerHeight = height(1, KICKER_SIZE) + GAP / 2;
	const room = CONTENT_BOTTOM - CONTENT_TOP - kickerHeight;
	const lay = (titleSize: number, subtitleSize: number) => {
		const title = wrap(card.title, width, (t) => measure(t, 700, titleSize));
		const subtitle = wrap(card.subtitle, width, (t) => measure(t, 400, subtitleSize));
		const fits =
			title.length <= MAX_TITLE_LINES &&
			subtitle.length <= MAX_SUBTITLE_LINES &&
			title.every((l) => measure(l, 700, titleSize) <= width) &&
			height(title.length, titleSize) + GAP + height(subtitle.length, subtitleSize) <= room;
		return { title, titleSize, subtitle, subtitleSize, fits };
	};
	const tried = TITLE_SIZES.flatMap((t) => SUBTITLE_SIZES.map((s) => [t, s] as const));
	let chosen = lay(...tried[tried.length - 1]);
	for (const [t, s] of tried) {
		const candidate = lay(t, s);
		if (candidate.fits) {
			chosen = candidate;
			break;
		}
	}
	// When nothing fits even at the smallest sizes, the title keeps its lines and the subtitle gets what is left.
	const { titleSize, subtitleSize } = chosen;
	const title = clip(chosen.title, MAX_TITLE_LINES, width, (t) => measure(t, 700, titleSize)).map((l) =>
		fitLine(l, width, (t) => measure(t, 700, titleSize))
	);
	const titleHeight = height(title.length, titleSize);
	let subtitleLines = Math.min(MAX_SUBTITLE_LINES, chosen.subtitle.length);
	while (subtitleLines > 0 && titleHeight + GAP + height(subtitleLines, subtitleSize) > room) subtitleLines--;
	const subtitle = clip(chosen.subtitle, subtitleLines, width, (t) => measure(t, 400, subtitleSize));
	// The kicker, title and subtitle sit together in the middle of the green part.
	const used = kickerHeight + titleHeight + (subtitle.length ? GAP + height(subtitle.length, subtitleSize) : 0);
	const top = CONTENT_TOP + Math.max(0, Math.round((CONTENT_BOTTOM - CONTENT_TOP - used) / 2));
	const kicker = fitLine(card.kicker, width, (t) => measure(t, 700, KICKER_SIZE));
	return {
		x: PAD,
		kicker: block([kicker], 700, KICKER_SIZE, top),
		title: block(title, 700, titleSize, top + kickerHeight),
		subtitle: block(subtitle, 400, subtitleSize, top + kickerHeight + titleHeight + GAP)
	};
}

function drawBlock(ctx: SKRSContext2D, text: TextBlock, x: number, color: string): void {
	ctx.font = shareFont(text.weight, text.size);
	ctx.fillStyle = color;
	text.lines.forEach((line, i) => ctx.fillText(line, x, text.baselines[i]));
}

async function newCanvas() {
	const { clearAllCache, createCanvas } = await import('@napi-rs/canvas');
	const canvas = createCanvas(SHARE_IMAGE_WIDTH, SHARE_IMAGE_HEIGHT);
	const ctx = canvas.getContext('2d');
	ctx.lang = 'bn';
	ctx.textBaseline = 'alphabetic';
	const measure: Measure = (text, weight, size) => {
		ctx.font = shareFont(weight, size);
		return ctx.measureText(text).width;
	};
	return { canvas, ctx, measure, clearAllCache };
}

/** Where the card's lines go, as drawShareImage draws them. registerShareFonts must have run. */
export async function shareCardLayout(card: ShareCard): Promise<CardLayout> {
	const { measure } = await newCanvas();
	return layoutShareCard(card, measure);
}

/** Draws the card and answers it as a PNG. registerShareFonts must have run. */
export async function drawShareImage(card: ShareCard): Promise<Buffer> {
	const { canvas, ctx, measure, clearAllCache } = await newCanvas();
	const layout = layoutShareCard(card, measure);

	ctx.fillStyle = COLORS.background;
	ctx.fillRect(0, 0, SHARE_IMAGE_WIDTH, SHARE_IMAGE_HEIGHT);
	drawBlock(ctx, layout.kicker, layout.x, COLORS.kicker);
	drawBlock(ctx, layout.title, layout.x, COLORS.title);
	drawBlock(ctx, layout.subtitle, layout.x, COLORS.subtitle);

	const bandTop = SHARE_IMAGE_HEIGHT - BAND_HEIGHT;
	ctx.fillStyle = COLORS.band;
	ctx.fillRect(0, bandTop, SHARE_IMAGE_WIDTH, BAND_HEIGHT);
	const middle = bandTop + BAND_HEIGHT / 2;

	const badgeSize = 38;
	const badgeWidth = measure(card.badge, 700, badgeSize) + 56;
	const badgeX = SHARE_IMAGE_WIDTH - PAD - badgeWidth;
	ctx.fillStyle = COLORS.badge;
	ctx.beginPath();
	ctx.roundRect(badgeX, middle - 38, badgeWidth, 76, 38);
	ctx.fill();
	ctx.fillStyle = COLORS.badgeText;
	ctx.font = shareFont(700, badgeSize);
	ctx.fillText(card.badge, badgeX + 28, middle + badgeSize * 0.36);

	const byline = fitLine(card.byline, badgeX - PAD - 32, (t) => measure(t, 400, 30));
	ctx.fillStyle = COLORS.byline;
	ctx.font = shareFont(400, 30);
	ctx.fillText(byline, PAD, middle + 30 * 0.36);

	const png = await canvas.encode('png');
	// Each picture is drawn once: Skia's glyph and font caches would only hold memory.
	clearAllCache();
	return png;
}
