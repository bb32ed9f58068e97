// A CSV import through the desk, as the seller makes one: the preview, then the confirm form it carries.
import type { Browser } from './http';

/** What the import's preview carries back to its confirm form. */
export function carried(html: string): { csv: string; fileName: string } {
	const csv = /<textarea name="csv" hidden[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '';
	const fileName = /name="fileName" value="([^"]*)"/.exec(html)?.[1] ?? '';
	const unescape = (text: string): string =>
		text
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&');
	return { csv: unescape(csv), fileName: unescape(fileName) };
}

/** Previews and confirms the import of `csv` as a file named `name`; returns the confirm's status. */
export async function importCsv(admin: Browser, name: string, csv: string): Promise<number> {
	const preview = await (await admin.upload('/admin/list/import?/preview', { file: { name, bytes: csv } })).text();
	const done = await admin.upload('/admin/list/import?/confirm', carried(preview));
	await done.arrayBuffer();
	return done.status;
}
