/** What the download routes call: the book for a stamp (or the seller's unstamped copy), as an HTTP answer. */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { course } from '../course';
import { config } from '../env';
import { bookSource, bookVersion } from './book';
import { cachedBook, type EbookFormat } from './cache';
import { bookFontFiles } from './fonts';
import { buildBook } from './job';
import { stampKey, type Stamp } from './stamp';

export type { EbookFormat } from './cache';

const TYPES: Record<EbookFormat, string> = { epub: 'application/epub+zip', pdf: 'application/pdf' };

export function isEbookFormat(value: string): value is EbookFormat {
	return value === 'epub' || value === 'pdf';
}

/** The path of the book file, built and cached on first use. */
export async function ebookPath(format: EbookFormat, stamp: Stamp | null): Promise<string> {
	const theCourse = course();
	const { owner, digest } = stampKey(stamp);
	return cachedBook(owner, `${bookVersion(theCourse)}-${digest}`, format, async () =>
		buildBook({
			format,
			source: bookSource(theCourse),
			stamp,
			fonts: await bookFontFiles(),
			origin: config().origin,
			builtAt: new Date()
		})
	);
}

/**
 * The book as a download, streamed from its file: read whole, fifty downloads at once held 20 MB of buffers,
 * a peak of the server's memory. The open file stays readable if a rebuild replaces it meanwhile.
 */
export async function ebookResponse(format: EbookFormat, stamp: Stamp | null): Promise<Response> {
	const file = await open(await ebookPath(format, stamp));
	const { size } = await file.stat();
	const name = `${course().id}${stamp ? '' : '-unstamped'}.${format}`;
	// The stream closes the file when it ends, fails or the reader goes away.
	const body = Readable.toWeb(file.createReadStream()) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'content-type': TYPES[format],
			'content-length': String(size),
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
}
