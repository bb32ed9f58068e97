import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** A heading id that keeps Bengali letters, so "#মূলনীতি" links work and read well. */
export function headingId(text: string): string {
	return (
		text
			.normalize('NFC')
			.toLowerCase()
			.replace(/<[^>]*>/g, '')
			// The heading arrives as HTML: "&amp;" must not become "amp" in the id.
			.replace(/&(?:#\d+|#x[\da-f]+|[a-z]+);/gi, ' ')
			.replace(/[^\p{L}\p{M}\p{N}\s-]/gu, '')
			.trim()
			.replace(/\s+/g, '-') || 'section'
	);
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: [
		'h2',
		'h3',
		'h4',
		'p',
		'br',
		'hr',
		'blockquote',
		'ul',
		'ol',
		'li',
		'strong',
		'em',
		'del',
		'code',
		'pre',
		'a',
		'img',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td',
		'figure',
		'figcaption',
		'sup',
		'sub'
	],
	allowedAttributes: {
		a: ['href', 'title', 'rel', 'target'],
		img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
		h2: ['id'],
		h3: ['id'],
		h4: ['id'],
		th: ['align'],
		td: ['align'],
		ol: ['start']
	},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: { img: ['https'] },
	allowProtocolRelative: false,
	transformTags: {
		// The lesson's own top heading is the page title; demote any h1 in the body.
		h1: 'h2',
		img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
		a: (tagName, attribs) =>
			/^https?:/i.test(attribs.href ?? '')
				? { tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }
				: { tagName, attribs }
	}
};

/** Renders lesson or email Markdown to HTML that is safe to put on a page. */
export function renderMarkdown(source: string): string {
	const seen = new Map<string, number>();
	const marked = new Marked({
		gfm: true,
		renderer: {
			heading({ tokens, depth }) {
				const inner = this.parser.parseInline(tokens);
				let id = headingId(inner);
				const count = seen.get(id) ?? 0;
				seen.set(id, count + 1);
				if (count) id = `${id}-${count}`;
				return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
			}
		}
	});
	const html = marked.parse(source, { async: false });
	return sanitizeHtml(html, SANITIZE);
}
