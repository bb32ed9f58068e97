import { read } from '$app/server';
import { BookFonts, type BookFontFile } from './shaping';

// Written at build time by scripts/subset-font.ts: the site's webfont subset, as TrueType. A glob so that a
// fresh clone type-checks before its first build.
const urls = import.meta.glob<string>('../../assets/fonts/book-*.ttf', {
	eager: true,
	query: '?url',
	import: 'default'
});

let loaded: Promise<BookFonts> | undefined;

/** The book's fonts, read once from the build's assets. */
export function bookFonts(): Promise<BookFonts> {
	return (loaded ??= Promise.all(
		Object.entries(urls).map(async ([path, url]): Promise<BookFontFile> => {
			const [, subset, weight] = /book-(bengali|latin|symbols)-(400|700)\.ttf$/.exec(path)!;
			const bytes = new Uint8Array(await read(url).arrayBuffer());
			return {
				subset: subset as BookFontFile['subset'],
				weight: Number(weight) as BookFontFile['weight'],
				file: path.split('/').pop()!,
				bytes
			};
		})
	).then((files) => {
		if (files.length !== 5)
			throw new Error(`the book needs 5 fonts from scripts/subset-font.ts, found ${files.length}`);
		return new BookFonts(files);
	})).catch((problem: unknown) => {
		loaded = undefined;
		throw problem;
	});
}
