/**
 * The guide as EPUB 3: our own templates zipped with fflate. epub-gen-memory fetches fonts and covers by
 * URL and has no place for the buyer's order in the metadata; the templates are short and epubcheck checks them.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { sha256 } from '../sha256';
import { chapterFile, type Book, type Chapter } from './book';
import { coverSvg } from './cover';
import type { BookFonts } from './shaping';
import { stampLine, stampNotice, type Stamp } from './stamp';
import { chapterXhtml, escapeXml } from './xhtml';

export interface EpubOptions {
	book: Book;
	stamp: Stamp | null;
	fonts: BookFonts;
	/** The store's ORIGIN: the book's identifier and its links to the site are built from it. */
	origin: string;
	builtAt: Date;
}

/** The same identifier for every copy and version of the course's book, so ebook apps see one book. */
export function bookIdentifier(book: Book, origin: string): string {
	const hex = sha256(`${origin}\n${book.courseId}`);
	return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function page(title: string, body: string, type?: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="bn" xml:lang="bn">
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(title)}</title>
<link rel="stylesheet" type="text/css" href="book.css"/>
</head>
<body${type ? ` epub:type="${type}"` : ''}>
${body}
</body>
</html>
`;
}

function fontCss(fonts: BookFonts): string {
	return fonts.faces
		.map(
			(f) =>
				`@font-face { font-family: "${f.family}"; font-weight: ${f.weight}; font-style: normal; src: url(fonts/${f.file}); }`
		)
		.join('\n');
}

const CSS = `
body { font-family: "Book Bengali", "Book Latin", "Book Symbols", sans-serif; line-height: 1.75; margin: 0 4%; color: #1b1f1d; }
h1, h2, h3, h4 { line-height: 1.4; }
h1 { font-size: 1.5em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.2em; color: #0f5132; margin: 1.4em 0 0.4em; }
p { margin: 0 0 0.9em; }
a { color: #0f5132; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #dfe3dc; color: #4d5752; }
.kicker { color: #4d5752; margin: 1.5em 0 0; }
.summary { color: #4d5752; }
.task { background: #eef5ef; border-left: 4px solid #0f5132; padding: 0.2em 1em; margin: 1.5em 0; }
.task h2 { margin-top: 0.5em; font-size: 1.05em; }
.stamp { margin-top: 2.5em; padding-top: 0.5em; border-top: 1px solid #dfe3dc; font-size: 0.8em; color: #4d5752; }
.title-page { text-align: center; margin-top: 20%; }
.title-page h1 { font-size: 1.8em; }
.title-page .owner { margin-top: 3em; font-size: 0.9em; }
.cover { margin: 0; padding: 0; text-align: center; }
.cover img { max-width: 100%; max-height: 100%; }
nav ol { list-style: none; padding: 0; }
nav li { margin: 0.4em 0; }
`;

function chapterPage(chapter: Chapter, options: EpubOptions): string {
	const { book, stamp, origin } = options;
	const task = chapter.task
		? `<aside class="task" epub:type="tip"><h2>এই পাঠের কাজ</h2><p>${escapeXml(chapter.task)}</p></aside>`
		: '';
	const owner = stamp ? `<p class="stamp">${escapeXml(stampLine(stamp))}</p>` : '';
	return page(
		chapter.title,
		`<section epub:type="chapter" aria-labelledby="chapter-title">
${chapter.label ? `<p class="kicker">${escapeXml(chapter.label)}</p>` : ''}
<h1 id="chapter-title">${escapeXml(chapter.title)}</h1>
<p class="summary">${escapeXml(chapter.summary)}</p>
${chapterXhtml(chapter, book, origin)}
${task}
${owner}
</section>`
	);
}

function titlePage({ book, stamp }: EpubOptions): string {
	const notice = stampNotice(stamp)
		.map((line) => `<p>${escapeXml(line)}</p>`)
		.join('\n');
	return page(
		book.title,
		`<section class="title-page" epub:type="titlepage">
<h1>${escapeXml(book.title)}</h1>
${book.subtitle ? `<p>${escapeXml(book.subtitle)}</p>` : ''}
<p>${escapeXml(book.author)}</p>
<div class="owner">${notice}</div>
</section>`
	);
}

function navPage({ book }: EpubOptions): string {
	const items = book.chapters
		.map((c) => `<li><a href="${chapterFile(c)}">${escapeXml(c.label ? `${c.label}: ${c.title}` : c.title)}</a></li>`)
		.join('\n');
	return page(
		'সূচিপত্র',
		`<nav epub:type="toc" id="toc">
<h1>সূচিপত্র</h1>
<ol>
${items}
</ol>
</nav>
<nav epub:type="landmarks" hidden="hidden">
<ol>
<li><a epub:type="cover" href="cover.xhtml">প্রচ্ছদ</a></li>
<li><a epub:type="toc" href="nav.xhtml">সূচিপত্র</a></li>
<li><a epub:type="bodymatter" href="${chapterFile(book.chapters[0])}">পাঠ</a></li>
</ol>
</nav>`
	);
}

function packageDocument(options: EpubOptions): string {
	const { book, stamp, fonts, origin, builtAt } = options;
	const modified = builtAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
	const chapters = book.chapters.map((c, i) => ({ id: `chapter-${i}`, href: chapterFile(c) }));
	const buyer = stamp
		? [
				`<meta property="store:buyer">${escapeXml(stamp.name ?? '')}</meta>`,
				`<meta property="store:buyer-email">${escapeXml(stamp.email)}</meta>`,
				stamp.orderId === null ? '' : `<meta property="store:order">${stamp.orderId}</meta>`,
				`<dc:rights>${escapeXml(stampLine(stamp))}</dc:rights>`
			]
		: [];
	return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="bn" prefix="store: ${escapeXml(origin)}/course/ebook#">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="book-id">${bookIdentifier(book, origin)}</dc:identifier>
<dc:title>${escapeXml(book.title)}</dc:title>
<dc:creator>${escapeXml(book.author)}</dc:creator>
<dc:language>bn</dc:language>
<dc:date>${builtAt.toISOString().slice(0, 10)}</dc:date>
<meta property="dcterms:modified">${modified}</meta>
<meta property="store:version">${book.version}</meta>
${buyer.filter(Boolean).join('\n')}
<meta name="cover" content="cover-image"/>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
<item id="cover-image" href="cover.svg" media-type="image/svg+xml" properties="cover-image"/>
<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="book.css" media-type="text/css"/>
${fonts.faces.map((f, i) => `<item id="font-${i}" href="fonts/${f.file}" media-type="font/ttf"/>`).join('\n')}
${chapters.map((c) => `<item id="${c.id}" href="${c.href}" media-type="application/xhtml+xml"/>`).join('\n')}
</manifest>
<spine>
<itemref idref="cover" linear="yes"/>
<itemref idref="title"/>
<itemref idref="nav"/>
${chapters.map((c) => `<itemref idref="${c.id}"/>`).join('\n')}
</spine>
</package>
`;
}

const CONTAINER = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`;

/** The whole EPUB file. */
export function buildEpub(options: EpubOptions): Uint8Array {
	const { book, fonts, builtAt } = options;
	const text = (s: string): Uint8Array => strToU8(s);
	// mimetype first and stored, as the EPUB container format requires; the rest deflated.
	const files: Zippable = {
		mimetype: [text('application/epub+zip'), { level: 0 }],
		'META-INF/container.xml': text(CONTAINER),
		'OEBPS/content.opf': text(packageDocument(options)),
		'OEBPS/nav.xhtml': text(navPage(options)),
		'OEBPS/cover.xhtml': text(
			page(
				book.title,
				`<section class="cover" epub:type="cover"><img src="cover.svg" alt="${escapeXml(book.title)}"/></section>`
			)
		),
		'OEBPS/cover.svg': text(coverSvg(book, fonts)),
		'OEBPS/title.xhtml': text(titlePage(options)),
		'OEBPS/book.css': text(`${fontCss(fonts)}\n${CSS}`)
	};
	for (const face of fonts.faces) files[`OEBPS/fonts/${face.file}`] = face.bytes;
	for (const chapter of book.chapters) files[`OEBPS/${chapterFile(chapter)}`] = text(chapterPage(chapter, options));
	return zipSync(files, { level: 9, mtime: builtAt });
}
