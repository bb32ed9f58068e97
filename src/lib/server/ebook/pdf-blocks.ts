/**
 * A lesson's parsed HTML as the PDF's blocks: headings, paragraphs (with list markers and quote indents),
 * rules. Only what markdown.ts lets through can occur.
 */
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { bnDigits } from '../../format';

export interface InlineStyle {
	bold: boolean;
	italic: boolean;
	strike: boolean;
	/** A web address, or "#chapter-NN" for another chapter of the book. */
	href?: string;
}

export interface Inline {
	text: string;
	style: InlineStyle;
}

export type Block =
	| { kind: 'heading'; level: 2 | 3 | 4; inlines: Inline[] }
	| { kind: 'paragraph'; inlines: Inline[]; indent: number; marker?: string; quote: boolean; pre: boolean }
	| { kind: 'rule' };

const PLAIN: InlineStyle = { bold: false, italic: false, strike: false };
const BLOCK_TAGS = new Set([
	'h2',
	'h3',
	'h4',
	'p',
	'ul',
	'ol',
	'li',
	'blockquote',
	'pre',
	'hr',
	'table',
	'figure',
	'figcaption'
]);
const INDENT = 16;

export interface LinkTarget {
	/** "#chapter-NN" for a lesson of the book, or undefined when it is not one. */
	chapter(slug: string): string | undefined;
	origin: string;
}

function linkOf(href: string, links: LinkTarget): string | undefined {
	if (href.startsWith('#')) return undefined;
	const lesson = /^\/lessons\/([a-z0-9-]+)\/?(#.*)?$/.exec(href);
	if (lesson) return links.chapter(lesson[1]) ?? `${links.origin}${href}`;
	return href.startsWith('/') ? `${links.origin}${href}` : href;
}

function collectInlines(nodes: ChildNode[], style: InlineStyle, links: LinkTarget, pre: boolean, out: Inline[]): void {
	for (const node of nodes) {
		if (isText(node)) out.push({ text: pre ? node.data : node.data.replace(/\s+/g, ' '), style });
		else if (isTag(node)) {
			const name = node.name;
			if (name === 'br') out.push({ text: '\n', style });
			else if (name === 'img') {
				const alt = node.attribs.alt?.trim();
				if (alt) out.push({ text: `[ছবি: ${alt}]`, style: { ...style, italic: true } });
			} else {
				const next =
					name === 'strong' || name === 'b' || name === 'th'
						? { ...style, bold: true }
						: name === 'em' || name === 'i'
							? { ...style, italic: true }
							: name === 'del' || name === 's'
								? { ...style, strike: true }
								: name === 'a' && node.attribs.href
									? { ...style, href: linkOf(node.attribs.href, links) }
									: style;
				if (name === 'td' || name === 'th') {
					if (out.length) out.push({ text: ' · ', style: PLAIN });
				}
				collectInlines(node.children, next, links, pre, out);
			}
		}
	}
}

/** Inlines with the whitespace at the paragraph's edges dropped, as a browser draws them. */
function trimmed(inlines: Inline[]): Inline[] {
	const out = inlines.filter((i) => i.text !== '');
	while (out.length && !out[0].text.trim() && out[0].text !== '\n') out.shift();
	while (out.length && !out[out.length - 1].text.trim()) out.pop();
	if (out.length) {
		out[0] = { ...out[0], text: out[0].text.replace(/^ +/, '') };
		const last = out.length - 1;
		out[last] = { ...out[last], text: out[last].text.replace(/ +$/, '') };
	}
	return out;
}

interface Context {
	indent: number;
	quote: boolean;
	links: LinkTarget;
}

function paragraph(nodes: ChildNode[], ctx: Context, marker?: string, pre = false, style = PLAIN): Block[] {
	const inlines: Inline[] = [];
	collectInlines(nodes, style, ctx.links, pre, inlines);
	const text = trimmed(inlines);
	return text.length ? [{ kind: 'paragraph', inlines: text, indent: ctx.indent, marker, quote: ctx.quote, pre }] : [];
}

function listItems(list: Element, ctx: Context): Block[] {
	const start = Number(list.attribs.start ?? 1) || 1;
	const items = list.children.filter((n): n is Element => isTag(n) && n.name === 'li');
	return items.flatMap((item, i) => {
		const marker = list.name === 'ol' ? `${bnDigits(start + i)}.` : '•';
		const inner = { ...ctx, indent: ctx.indent + INDENT };
		const blocks = toBlocks(item.children, inner);
		const first = blocks.find((b) => b.kind === 'paragraph');
		if (first && first.kind === 'paragraph' && !first.marker && first.indent === inner.indent) first.marker = marker;
		return blocks;
	});
}

export function toBlocks(nodes: ChildNode[], ctx: Context): Block[] {
	const blocks: Block[] = [];
	let loose: ChildNode[] = [];
	const flush = () => {
		blocks.push(...paragraph(loose, ctx));
		loose = [];
	};
	for (const node of nodes) {
		if (!isTag(node) || !BLOCK_TAGS.has(node.name)) {
			if (isText(node) || isTag(node)) loose.push(node);
			continue;
		}
		flush();
		switch (node.name) {
			case 'h2':
			case 'h3':
			case 'h4': {
				const inlines: Inline[] = [];
				collectInlines(node.children, PLAIN, ctx.links, false, inlines);
				const level = Number(node.name[1]) as 2 | 3 | 4;
				blocks.push({ kind: 'heading', level, inlines: trimmed(inlines) });
				break;
			}
			case 'ul':
			case 'ol':
				blocks.push(...listItems(node, ctx));
				break;
			case 'blockquote':
				blocks.push(...toBlocks(node.children, { ...ctx, indent: ctx.indent + INDENT, quote: true }));
				break;
			case 'pre':
				blocks.push(...paragraph(node.children, ctx, undefined, true));
				break;
			case 'hr':
				blocks.push({ kind: 'rule' });
				break;
			case 'table':
				for (const row of node.children.flatMap((n) => (isTag(n) && n.name !== 'tr' ? n.children : [n])))
					if (isTag(row) && row.name === 'tr') blocks.push(...paragraph(row.children, ctx));
				break;
			case 'figcaption':
				blocks.push(...paragraph(node.children, ctx, undefined, false, { ...PLAIN, italic: true }));
				break;
			default:
				// p, li outside a list, figure: their inline content, or the blocks inside them.
				if (node.children.some((c) => isTag(c) && BLOCK_TAGS.has(c.name))) blocks.push(...toBlocks(node.children, ctx));
				else blocks.push(...paragraph(node.children, ctx));
		}
	}
	flush();
	return blocks;
}

export function lessonBlocks(body: ChildNode[], links: LinkTarget): Block[] {
	return toBlocks(body, { indent: 0, quote: false, links });
}

export function plainInlines(text: string, style: Partial<InlineStyle> = {}): Inline[] {
	return [{ text, style: { ...PLAIN, ...style } }];
}
