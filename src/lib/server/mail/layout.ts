/** The HTML and text shell every mail shares: short, readable on a phone, no remote images or fonts. */

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Removes line breaks so that a name or a subject can never add a mail header. */
export function oneLine(text: string): string {
	return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

export interface MailBody {
	/** Paragraphs of plain text, escaped for HTML. */
	paragraphs: string[];
	button?: { label: string; url: string };
	/** A one-time code shown large after the button, with a second spelling (Latin digits) under it. */
	code?: { label: string; value: string; alt: string };
	/** Sanitized HTML placed after the paragraphs (from course Markdown). */
	html?: string;
	/** Plain-text version of `html`. */
	htmlText?: string;
	after?: string[];
	footer: string[];
	footerHtml?: string;
	/** Links shown in the footer: a link in HTML, "label: url" in text (the unsubscribe link). */
	footerLinks?: { label: string; url: string }[];
}

export function renderHtml(subject: string, body: MailBody): string {
	const p = (t: string): string => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
	const button = body.button
		? `<p style="margin:24px 0"><a href="${escapeHtml(body.button.url)}" style="background:#0f5132;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:bold;display:inline-block">${escapeHtml(body.button.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#4d5752;word-break:break-all">${escapeHtml(body.button.url)}</p>`
		: '';
	const code = body.code
		? `
<p style="margin:0 0 8px">${escapeHtml(body.code.label)}</p>
<p style="margin:0 0 4px;font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(body.code.value)}</p>
<p style="margin:0 0 16px;font-size:13px;color:#4d5752">${escapeHtml(body.code.alt)}</p>`
		: '';
	const links = (body.footerLinks ?? [])
		.map(
			(l) =>
				`<p style="margin:0 0 8px"><a href="${escapeHtml(l.url)}" style="color:#0f5132">${escapeHtml(l.label)}</a></p>`
		)
		.join('');
	const footer = body.footer.map((t) => `<p style="margin:0 0 8px">${escapeHtml(t)}</p>`).join('') + links;
	return `<!doctype html>
<html lang="bn"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#fbfaf6">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:'Noto Sans Bengali',sans-serif;font-size:16px;line-height:1.7;color:#1b1f1d">
${body.paragraphs.map(p).join('\n')}
${body.html ?? ''}
${button}${code}
${(body.after ?? []).map(p).join('\n')}
<div style="margin-top:32px;border-top:1px solid #dfe3dc;padding-top:16px;font-size:13px;color:#4d5752">${footer}${body.footerHtml ?? ''}</div>
</div></body></html>`;
}

export function renderText(body: MailBody): string {
	const parts = [...body.paragraphs];
	if (body.htmlText) parts.push(body.htmlText);
	if (body.button) parts.push(`${body.button.label}:\n${body.button.url}`);
	if (body.code) parts.push(`${body.code.label}\n${body.code.value}\n${body.code.alt}`);
	parts.push(...(body.after ?? []));
	parts.push('--', ...body.footer, ...(body.footerLinks ?? []).map((l) => `${l.label}: ${l.url}`));
	return parts.join('\n\n') + '\n';
}
