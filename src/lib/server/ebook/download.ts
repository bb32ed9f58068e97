/** What the download routes call: the book for a stamp (or the seller's unstamped copy), as an HTTP answer. */
import { readFile } from 'node:fs/promises';
import { course } from '../course';
import { config } from '../env';
import { bookOf } from './book';
import { cachedBook, type EbookFormat } from './cache';
import { buildEpub } from './epub';
import { bookFonts } from './fonts';
import { buildPdf } from './pdf';
import { stampKey, type Stamp } from './stamp';

export type { EbookFormat } from './cache';

const TYPES: Record<EbookFormat, string> = { epub: 'application/epub+zip', pdf: 'application/pdf' };

export function isEbookFormat(value: string): value is EbookFormat {
	return value === 'epub' || value === 'pdf';
}

/** The path of the book file, built and cached on first use. */
export async function ebookPath(format: EbookFormat, stamp: Stamp | null): Promise<string> {
	const book = bookOf(course());
	const { owner, digest } = stampKey(stamp);
	return cachedBook(owner, `${book.version}-${digest}`, format, async () => {
		const options = { book, stamp, fonts: await bookFonts(), origin: config().origin, builtAt: new Date() };
		return format === 'epub' ? buildEpub(options) : buildPdf(options);
	});
}

/** The book as a download. */
export async function ebookResponse(format: EbookFormat, stamp: Stamp | null): Promise<Response> {
	const bytes = await readFile(await ebookPath(format, stamp));
	const name = `${course().id}${stamp ? '' : '-unstamped'}.${format}`;
	return new Response(bytes, {
		headers: {
			'content-type': TYPES[format],
			'content-length': String(bytes.length),
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
}
