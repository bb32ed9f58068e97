/**
 * A lesson's sanitized HTML as EPUB XHTML. Written here rather than with dom-serializer: its XML mode turns
 * every Bengali letter into a numeric entity (three times the size), and its HTML mode writes &nbsp;, which
 * XML does not know. The input is already sanitized (markdown.ts), so only a few tags and attributes occur.
 */
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { chapterFile, type Book, type Chapter } from './book';

const VOID = new Set(['br', 'hr', 'img']);

export function escapeXml(text: string): string {
	return text
		.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
		.replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
}

/** An XML ID for a heading id: ids made from text may start with an ASCII digit, which XML refuses. */
function xmlId(id: string): string {
	return `s-${id}`;
}

/** Where a link in a lesson goes inside the book: another chapter, a heading, or the web. */
function bookHref(href: string, book: Book, origin: string): string {
	if (href.startsWith('#')) {
		let target = href.slice(1);
		try {
			target = decodeURIComponent(target);
		} catch {
			// keep it as written
		}
		return `#${xmlId(target)}`;
	}
	const lesson = /^\/lessons\/([a-z0-9-]+)\/?(#.*)?$/.exec(href);
	const chapter = lesson ? book.chapters.find((c) => c.slug === lesson[1]) : undefined;
	if (chapter) return chapterFile(chapter);
	return href.startsWith('/') ? `${origin}${href}` : href;
}

function attributes(element: Element, book: Book, origin: string): string {
	let out = '';
	for (const [name, value] of Object.entries(element.attribs)) {
		// Attributes that only matter on the site, or that XHTML5 no longer allows.
		if (name === 'loading' || name === 'align' || name === 'target' || name === 'rel') continue;
		const written = name === 'id' ? xmlId(value) : name === 'href' ? bookHref(value, book, origin) : value;
		out += ` ${name}="${escapeXml(written)}"`;
	}
	return out;
}

function write(nodes: ChildNode[], book: Book, origin: string): string {
	let out = '';
	for (const node of nodes) {
		if (isText(node)) out += escapeXml(node.data);
		else if (isTag(node)) {
			// Pictures are on the web, and an EPUB may not load images from there: the book keeps their description.
			if (node.name === 'img') {
				const alt = node.attribs.alt?.trim();
				if (alt) out += `<span class="picture">[ছবি: ${escapeXml(alt)}]</span>`;
				continue;
			}
			const open = `<${node.name}${attributes(node, book, origin)}`;
			out += VOID.has(node.name) ? `${open}/>` : `${open}>${write(node.children, book, origin)}</${node.name}>`;
		}
	}
	return out;
}

const written = new WeakMap<Chapter, string>();

/** The chapter's lesson text as XHTML, written once per chapter. */
export function chapterXhtml(chapter: Chapter, book: Book, origin: string): string {
	let xhtml = written.get(chapter);
	if (xhtml === undefined) {
		xhtml = write(chapter.body, book, origin);
		written.set(chapter, xhtml);
	}
	return xhtml;
}
