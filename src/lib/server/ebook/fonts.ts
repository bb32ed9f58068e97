import { read } from '$app/server';
import type { BookFontFile } from './shaping';

// Written at build time by scripts/subset-font.ts: the site's webfont subset, as TrueType. A glob so that a
// fresh clone type-checks before its first build.
const urls = import.meta.glob<string>('../../assets/fonts/book-*.ttf', {
	eager: true,
	query: '?url',
	import: 'default'
});

/** The book's font files from the build's assets, read for each build: the store keeps none of them. */
export async function bookFontFiles(): Promise<BookFontFile[]> {
	const files = await Promise.all(
		Object.entries(urls).map(async ([path, url]): Promise<BookFontFile> => {
			const [, subset, weight] = /book-(bengali|latin|symbols)-(400|700)\.ttf$/.exec(path)!;
			return {
				subset: subset as BookFontFile['subset'],
				weight: Number(weight) as BookFontFile['weight'],
				file: path.split('/').pop()!,
				bytes: new Uint8Array(await read(url).arrayBuffer())
			};
		})
	);
	if (files.length !== 5) throw new Error(`the book needs 5 fonts from scripts/subset-font.ts, found ${files.length}`);
	return files;
}
