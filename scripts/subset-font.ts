/**
 * Cuts the Bengali webfont down to the characters the course and the pages use, at build time.
 *
 * Noto Sans Bengali comes from @fontsource as two files per weight, a Bengali and a Latin one. Each is
 * subset with HarfBuzz to the code points found in course/ and src/, plus the Bengali alphabet, digits and
 * printable ASCII (names and email addresses that readers type). HarfBuzz keeps every GSUB/GPOS rule whose
 * glyphs survive, so conjuncts, reph and vowel signs shape as in the full font. The files and a manifest
 * with each face's unicode-range go to src/lib/assets/fonts/ (not committed), which src/lib/fonts.ts
 * turns into @font-face rules and preloads. The same subsets are also written as TrueType for the ebook
 * (src/lib/server/ebook/), whose PDF writer and EPUB readers want sfnt fonts rather than WOFF2.
 *
 * Runs inside every `vite build` and `vite dev` (see vite.config.ts); `npm run fonts` runs it alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

// subset-font ships no types: this is the part of its API used here.
type SubsetFont = (
	font: Buffer,
	text: string,
	options?: { targetFormat?: 'woff2' | 'woff' | 'truetype' }
) => Promise<Buffer>;
const subsetFont = createRequire(import.meta.url)('subset-font') as SubsetFont;

export const FONT_DIR = 'src/lib/assets/fonts';
const FAMILY = 'Noto Sans Bengali';
const SOURCE_DIR = 'node_modules/@fontsource/noto-sans-bengali/files';
// Characters neither face has (arrows such as →) come from DejaVu Sans, in the book only: the site leaves them to
// the reader's fonts. (Noto Sans Symbols 2 has no →.)
const SYMBOLS_SOURCE = 'node_modules/@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff2';
export const BOOK_SYMBOLS_FILE = 'book-symbols-400.ttf';
const WEIGHTS = [400, 700] as const;
// Bengali first: code points both files carry (space, ZWJ/ZWNJ, danda) belong to the Bengali face.
const SUBSETS = ['bengali', 'latin'] as const;
/** Where the words on the pages come from. */
const TEXT_SOURCES = ['course', 'src'];
const TEXT_FILE = /\.(md|ya?ml|svelte|ts|js|html|txt)$/;
// Bump when the subsetting changes, so that the next build redoes it.
const VERSION = 2;

export interface FontFace {
	file: string;
	/** The same subset as TrueType, for the ebook. */
	bookFile: string;
	subset: (typeof SUBSETS)[number];
	family: string;
	weight: number;
	unicodeRange: string;
	bytes: number;
}

export interface FontManifest {
	key: string;
	faces: FontFace[];
}

function range(from: number, to: number): string {
	let out = '';
	for (let c = from; c <= to; c++) out += String.fromCodePoint(c);
	return out;
}

/** Characters kept whatever the course says: what readers type (names, emails) and what Intl prints. */
export function alwaysKept(): string {
	const months = Array.from({ length: 12 }, (_, m) =>
		new Intl.DateTimeFormat('bn-BD', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2025, m, 15))
	).join('');
	return [
		range(0x20, 0x7e), // printable ASCII
		range(0x0981, 0x0983), // candrabindu, anusvara, visarga
		range(0x0985, 0x098b), // vowels
		'\u098f\u0990\u0993\u0994',
		range(0x0995, 0x09a8), // consonants
		range(0x09aa, 0x09b0),
		'\u09b2\u09b6\u09b7\u09b8\u09b9',
		'\u09bc', // nukta
		range(0x09be, 0x09c3), // vowel signs
		'\u09c7\u09c8\u09cb\u09cc\u09cd\u09ce\u09d7',
		'\u09dc\u09dd\u09df', // ড় ঢ় য়
		range(0x09e6, 0x09ef), // digits
		'\u09f3', // ৳
		'\u0964\u0965', // danda, double danda
		'\u200c\u200d', // ZWNJ, ZWJ: they select Bengali forms
		'\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0\u00a9\u00b7',
		months,
		new Intl.NumberFormat('bn-BD').format(1234567890.5)
	].join('');
}

function textFiles(path: string): string[] {
	if (!existsSync(path)) return [];
	if (!statSync(path).isDirectory()) return TEXT_FILE.test(path) ? [path] : [];
	if (path.endsWith('assets/fonts')) return [];
	return readdirSync(path)
		.sort()
		.flatMap((name) => textFiles(join(path, name)));
}

/** Every character the build's pages can show, sorted and without duplicates. */
export function charactersUsed(root = '.'): string {
	const chars = new Set<string>(alwaysKept());
	for (const dir of TEXT_SOURCES)
		for (const file of textFiles(join(root, dir)))
			for (const c of readFileSync(file, 'utf8')) chars.add(c.normalize('NFC'));
	return [...chars]
		.filter((c) => c.codePointAt(0)! >= 0x20)
		.sort()
		.join('');
}

/** U+980-983,U+985-98B,… for a set of code points. */
export function unicodeRange(codePoints: Iterable<number>): string {
	const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		const start = sorted[i];
		while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
		const hex = (n: number) => n.toString(16).toUpperCase();
		parts.push(start === sorted[i] ? `U+${hex(start)}` : `U+${hex(start)}-${hex(sorted[i])}`);
	}
	return parts.join(',');
}

/** The code points a fontsource subset file covers, from its unicode.json ("U+0980-09FE,U+200C-200D,…"). */
function subsetRanges(root: string): Map<string, (c: number) => boolean> {
	const table = JSON.parse(readFileSync(join(root, SOURCE_DIR, '../unicode.json'), 'utf8')) as Record<string, string>;
	const ranges = new Map<string, (c: number) => boolean>();
	for (const [subset, spec] of Object.entries(table)) {
		const bounds = spec.split(',').map((part) => {
			const [from, to = from] = part.replace('U+', '').split('-');
			return [parseInt(from, 16), parseInt(to, 16)] as const;
		});
		ranges.set(subset, (c) => bounds.some(([from, to]) => c >= from && c <= to));
	}
	return ranges;
}

function sourceFile(root: string, subset: string, weight: number): string {
	return join(root, SOURCE_DIR, `noto-sans-bengali-${subset}-${weight}-normal.woff2`);
}

/**
 * Writes the subset fonts and their manifest unless the last run had the same input.
 * Returns the manifest and whether anything was written.
 */
export async function subsetWebfonts(root = '.'): Promise<{ manifest: FontManifest; written: boolean }> {
	const outDir = resolve(root, FONT_DIR);
	const manifestPath = join(outDir, 'fonts.json');
	const text = charactersUsed(root);
	const sources = SUBSETS.flatMap((subset) =>
		WEIGHTS.map((weight) => ({ subset, weight, path: sourceFile(root, subset, weight) }))
	);
	const key = createHash('sha256')
		.update(
			JSON.stringify({
				VERSION,
				text,
				sources: [...sources.map((s) => s.path), join(root, SYMBOLS_SOURCE)].map((path) => [path, statSync(path).size])
			})
		)
		.digest('hex')
		.slice(0, 16);

	if (existsSync(manifestPath)) {
		const previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as FontManifest;
		if (
			previous.key === key &&
			previous.faces.every((f) => existsSync(join(outDir, f.file)) && existsSync(join(outDir, f.bookFile ?? ''))) &&
			existsSync(join(outDir, BOOK_SYMBOLS_FILE))
		)
			return { manifest: previous, written: false };
	}

	mkdirSync(outDir, { recursive: true });
	const wanted = new Set([...text].map((c) => c.codePointAt(0)!));
	const covers = subsetRanges(root);
	const taken = new Set<number>();
	const faces: FontFace[] = [];
	for (const subset of SUBSETS) {
		const kept = [...wanted].filter((c) => covers.get(subset)!(c) && !taken.has(c));
		for (const c of kept) taken.add(c);
		const keptText = String.fromCodePoint(...kept);
		for (const weight of WEIGHTS) {
			const file = `noto-sans-bengali-${subset}-${weight}.woff2`;
			const source = readFileSync(sourceFile(root, subset, weight));
			const font = await subsetFont(source, keptText, { targetFormat: 'woff2' });
			writeFileSync(join(outDir, file), font);
			const bookFile = `book-${subset}-${weight}.ttf`;
			writeFileSync(join(outDir, bookFile), await subsetFont(source, keptText, { targetFormat: 'truetype' }));
			faces.push({
				file,
				bookFile,
				subset,
				family: FAMILY,
				weight,
				unicodeRange: unicodeRange(kept),
				bytes: font.length
			});
		}
	}
	// HarfBuzz keeps those of these that DejaVu Sans has.
	const symbols = [...wanted].filter((c) => !taken.has(c) && c > 0x7f);
	const symbolsFont = await subsetFont(
		readFileSync(join(root, SYMBOLS_SOURCE)),
		String.fromCodePoint(0x20, ...symbols),
		{
			targetFormat: 'truetype'
		}
	);
	writeFileSync(join(outDir, BOOK_SYMBOLS_FILE), symbolsFont);
	const manifest: FontManifest = { key, faces };
	writeFileSync(manifestPath, `${JSON.stringify(manifest, null, '\t')}\n`);
	return { manifest, written: true };
}

/** Vite plugin: the fonts exist before any module that imports them is transformed. */
export function webfonts(): Plugin {
	let done: Promise<unknown> | undefined;
	return {
		name: 'subset-webfonts',
		async buildStart() {
			await (done ??= subsetWebfonts());
		}
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const { manifest, written } = await subsetWebfonts();
	const originals = new Map(
		manifest.faces.map((f) => [
			f.file,
			statSync(sourceFile('.', f.file.includes('latin') ? 'latin' : 'bengali', f.weight)).size
		])
	);
	console.log(written ? `Wrote ${FONT_DIR}/:` : `${FONT_DIR}/ is up to date:`);
	for (const f of manifest.faces)
		console.log(
			`  ${f.file.padEnd(36)} ${(f.bytes / 1024).toFixed(1).padStart(5)} KB (from ${(originals.get(f.file)! / 1024).toFixed(1)} KB)`
		);
	const total = manifest.faces.reduce((sum, f) => sum + f.bytes, 0);
	console.log(`  total ${(total / 1024).toFixed(1)} KB`);
}
