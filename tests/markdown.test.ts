import { describe, expect, it } from 'vitest';
import { headingId, renderMarkdown } from '../src/lib/server/markdown';

/** Asserts that none of the given fragments survive rendering, case-insensitively. */
function expectNone(source: string, ...fragments: string[]): string {
	const html = renderMarkdown(source);
	for (const fragment of fragments)
		expect(html.toLowerCase(), `rendered: ${html}`).not.toContain(fragment.toLowerCase());
	return html;
}

describe('renderMarkdown keeps a lesson safe to put on a page', () => {
	it('drops <script> elements and their content', () => {
		const html = expectNone(
			'একটি অনুচ্ছেদ।\n\n<script>alert("x")</script>\n\nInline <script src="https://evil.example/x.js"></script> too.\n\n<SCRIPT>alert(2)</SCRIPT>',
			'<script',
			'alert',
			'evil.example'
		);
		expect(html).toContain('একটি অনুচ্ছেদ।');
	});

	it.each([
		['a Markdown link', '[ক্লিক](javascript:alert(1))'],
		['a Markdown link in mixed case', '[ক্লিক](JaVaScRiPt:alert(1))'],
		['an HTML link', '<a href="javascript:alert(1)">ক্লিক</a>'],
		['an HTML link with an entity-encoded scheme', '<a href="&#106;avascript:alert(1)">ক্লিক</a>'],
		['an HTML link with a tab in the scheme', '<a href="java\tscript:alert(1)">ক্লিক</a>'],
		['a reference link', '[ক্লিক][x]\n\n[x]: javascript:alert(1)'],
		['an image', '![ছবি](javascript:alert(1))'],
		['a vbscript link', '<a href="vbscript:msgbox(1)">ক্লিক</a>']
	])('drops javascript: URLs in %s', (_, source) => {
		expectNone(source, 'javascript', 'vbscript', 'alert(1)', 'msgbox');
	});

	it('drops every on* event handler attribute', () => {
		expectNone(
			[
				'<p onclick="alert(1)">অনুচ্ছেদ</p>',
				'<a href="https://example.com" onmouseover="alert(2)">লিংক</a>',
				'<img src="https://example.com/a.png" onerror="alert(3)">',
				'<img src=x onerror=alert(4)>',
				'<h2 onfocus="alert(5)" tabindex="0">শিরোনাম</h2>',
				'<details open ontoggle="alert(6)"><summary>x</summary></details>'
			].join('\n\n'),
			'onclick',
			'onmouseover',
			'onerror',
			'onfocus',
			'ontoggle',
			'alert('
		);
	});

	it('drops iframes, objects, embeds, forms and SVG', () => {
		expectNone(
			[
				'<iframe src="https://evil.example/"></iframe>',
				'<object data="https://evil.example/x.swf"></object>',
				'<embed src="https://evil.example/x.swf">',
				'<form action="https://evil.example/"><input name="card"><button>পাঠান</button></form>',
				'<svg><script>alert(1)</script></svg>',
				'<math><mtext><img src=x onerror=alert(1)></mtext></math>'
			].join('\n\n'),
			'<iframe',
			'<object',
			'<embed',
			'<form',
			'<input',
			'<button',
			'<svg',
			'<math',
			'evil.example',
			'alert('
		);
	});

	it('drops style attributes and <style> elements', () => {
		expectNone(
			'<p style="position:fixed;inset:0;background:red">অনুচ্ছেদ</p>\n\n<style>body{display:none}</style>\n\n<span style="color:red">লাল</span>',
			'style',
			'position:fixed',
			'display:none'
		);
	});

	it('drops data: URLs in links and images', () => {
		expectNone(
			[
				'[খুলুন](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
				'<a href="data:text/html,<script>alert(1)</script>">খুলুন</a>',
				'![ছবি](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
				'<img src="data:image/png;base64,iVBORw0KGgo=">'
			].join('\n\n'),
			'data:',
			'base64',
			'<script'
		);
	});

	it('drops protocol-relative and non-https image sources, and keeps https ones lazy', () => {
		const html = expectNone(
			'<a href="//evil.example/">লিংক</a>\n\n![ছবি](http://example.com/a.png)\n\n![ছবি](https://example.com/b.png)',
			'//evil.example',
			'http://example.com/a.png'
		);
		expect(html).toContain('src="https://example.com/b.png"');
		expect(html).toContain('loading="lazy"');
	});

	it('keeps ordinary links, and marks outside ones noopener', () => {
		const html = renderMarkdown(
			'[গাইড](https://example.com/guide) আর [ইমেইল](mailto:help@example.com) আর [পাঠ ২](/lessons/why-ai-now)'
		);
		expect(html).toContain('<a href="https://example.com/guide" rel="noopener noreferrer nofollow">গাইড</a>');
		expect(html).toContain('<a href="mailto:help@example.com">ইমেইল</a>');
		expect(html).toContain('<a href="/lessons/why-ai-now">পাঠ ২</a>');
	});

	it('keeps the Markdown a lesson needs', () => {
		const html = renderMarkdown(
			'**মোটা** আর *বাঁকা* লেখা\n\n- এক\n- দুই\n\n1. প্রথম\n2. দ্বিতীয়\n\n> উদ্ধৃতি\n\n`কোড`\n\n| ক | খ |\n| - | - |\n| ১ | ২ |'
		);
		for (const tag of [
			'<strong>মোটা</strong>',
			'<em>বাঁকা</em>',
			'<ul>',
			'<ol>',
			'<blockquote>',
			'<code>কোড</code>',
			'<table>'
		])
			expect(html).toContain(tag);
	});
});

describe('headings', () => {
	it('get ids that keep the Bengali words', () => {
		const html = renderMarkdown('## মূলনীতি\n\n### আমার অভিজ্ঞতা\n\n## Case Study: একজন মানুষ!');
		expect(html).toContain('<h2 id="মূলনীতি">মূলনীতি</h2>');
		expect(html).toContain('<h3 id="আমার-অভিজ্ঞতা">আমার অভিজ্ঞতা</h3>');
		expect(html).toContain('<h2 id="case-study-একজন-মানুষ">Case Study: একজন মানুষ!</h2>');
	});

	it('keep vowel signs and conjuncts in ids, normalized to NFC', () => {
		expect(headingId('কোর্সের শুরু')).toBe('কোর্সের-শুরু');
		expect(headingId('য়')).toBe(headingId('য়'));
	});

	it('get distinct ids when they repeat', () => {
		const html = renderMarkdown('## উদাহরণ\n\nএক\n\n## উদাহরণ\n\nদুই\n\n## উদাহরণ');
		expect(html).toContain('id="উদাহরণ"');
		expect(html).toContain('id="উদাহরণ-1"');
		expect(html).toContain('id="উদাহরণ-2"');
	});

	it('demote a level-one heading, since the lesson title is the page heading', () => {
		expect(renderMarkdown('# শিরোনাম')).toBe('<h2 id="শিরোনাম">শিরোনাম</h2>\n');
	});

	it('cannot be used to inject attributes through the id', () => {
		const html = renderMarkdown('## x" onmouseover="alert(1)\n\n## <img src=x onerror=alert(1)>ছবি');
		// The quote stays text inside the heading; no tag gains an attribute from it.
		expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
		expect(html).toMatch(/^<h2 id="[\p{L}\p{M}\p{N}-]+">x" onmouseover="alert\(1\)<\/h2>$/mu);
	});

	it('leave HTML entities out of ids', () => {
		expect(renderMarkdown('## Automation & System Setup')).toContain('<h2 id="automation-system-setup">');
		expect(renderMarkdown('## "উদ্ধৃতি" <আর> চিহ্ন')).toContain('<h2 id="উদ্ধৃতি-আর-চিহ্ন">');
	});

	it('fall back to a plain id when nothing is left of the text', () => {
		expect(renderMarkdown('## ???')).toContain('<h2 id="section">');
	});
});
