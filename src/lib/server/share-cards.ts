/**
 * Which link-preview images the store has (the sales page's and one per free lesson), their addresses, and
 * their PNGs. An address carries a hash of everything drawn (the words, the font files, the drawing code),
 * so it can be cached forever and changes whenever the picture would. Each picture is drawn once,
 * on its first request, and kept: a store whose links are never shared never loads Skia.
 */
import { read } from '$app/server';
import { course } from './course';
import { sha256 } from './sha256';
import {
	courseShareCard,
	drawShareImage,
	lessonShareCard,
	registerShareFonts,
	SHARE_IMAGE_HEIGHT,
	SHARE_IMAGE_WIDTH,
	type ShareFontFile,
	type ShareCard
} from './share-image';
// The drawing code's own text, hashed into every address: a change to the layout changes them all.
import drawingCode from './share-image.ts?raw';

// The subset webfont as built (scripts/subset-font.ts): the very files the pages use. A glob, so that a fresh
// clone type-checks before its first build.
const fontUrls = import.meta.glob<string>('../assets/fonts/*.woff2', { eager: true, query: '?url', import: 'default' });

export interface ShareImage {
	/** e.g. /share/course-3f09a1c2b4d5e6f7.png */
	path: string;
	width: number;
	height: number;
	alt: string;
}

interface Entry extends ShareImage {
	card: ShareCard;
	png?: Promise<Buffer>;
}

let entries: { byKey: Map<string, Entry>; byFile: Map<string, Entry> } | undefined;

function fontFiles(): { script: ShareFontFile['script']; weight: number; url: string }[] {
	return Object.entries(fontUrls)
		.map(([path, url]) => {
			const [, script, weight] = /noto-sans-bengali-(bengali|latin)-(\d+)\.woff2$/.exec(path) ?? [];
			return { script: script as ShareFontFile['script'], weight: Number(weight), url };
		})
		.filter((f) => f.script)
		.sort((a, b) => a.url.localeCompare(b.url));
}

function build(): NonNullable<typeof entries> {
	const c = course();
	const fonts = fontFiles().map((f) => f.url);
	const cards: [string, string, ShareCard][] = [
		['course', 'course', courseShareCard(c)],
		...c.lessons
			.filter((l) => l.free)
			.map((l): [string, string, ShareCard] => [`lesson:${l.slug}`, l.slug, lessonShareCard(c, l)])
	];
	const byKey = new Map<string, Entry>();
	const byFile = new Map<string, Entry>();
	for (const [key, name, card] of cards) {
		const hash = sha256(JSON.stringify({ drawingCode, card, fonts }), 'base64url').slice(0, 16);
		const file = `${name}-${hash}.png`;
		const entry: Entry = {
			path: `/share/${file}`,
			width: SHARE_IMAGE_WIDTH,
			height: SHARE_IMAGE_HEIGHT,
			alt: card.alt,
			card
		};
		byKey.set(key, entry);
		byFile.set(file, entry);
	}
	return { byKey, byFile };
}

function lookup(): NonNullable<typeof entries> {
	return (entries ??= build());
}

/** The sales page's preview image. */
export function courseShareImage(): ShareImage {
	return lookup().byKey.get('course')!;
}

/** A free lesson's preview image; undefined for a paid lesson, which has none. */
export function lessonShareImage(slug: string): ShareImage | undefined {
	return lookup().byKey.get(`lesson:${slug}`);
}

let fontsLoaded: Promise<void> | undefined;

async function loadFonts(): Promise<void> {
	const files: ShareFontFile[] = await Promise.all(
		fontFiles().map(async (f) => ({ ...f, data: Buffer.from(await read(f.url).arrayBuffer()) }))
	);
	if (!files.length) throw new Error('share image: no webfont files were built (src/lib/assets/fonts/)');
	await registerShareFonts(files);
}

async function draw(card: ShareCard): Promise<Buffer> {
	await (fontsLoaded ??= loadFonts());
	return drawShareImage(card);
}

/** The PNG named by file (the last part of a share image's path), or undefined when there is no such image. */
export async function shareImagePng(file: string): Promise<Buffer | undefined> {
	const entry = lookup().byFile.get(file);
	if (!entry) return undefined;
	entry.png ??= draw(entry.card).catch((e: unknown) => {
		// Forget the failure, so that the next request tries again.
		entry.png = undefined;
		fontsLoaded = undefined;
		throw e;
	});
	return entry.png;
}
