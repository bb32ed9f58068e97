// The books are built by a separate builder process, one book at a time: buyers whose first downloads arrive
// together each get a whole book with their own stamp.
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBuyer } from '../support/ebook';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

describe('the ebook builder', () => {
	it('builds the books of buyers who download at the same moment, each whole and with its own stamp', async () => {
		const buyers = ['একজন', 'দুজন', 'তিনজন'].map((name, i) =>
			addBuyer(server.db, `together${i}@example.com`, name, { allLessonsOpen: true })
		);
		const browsers = await Promise.all(buyers.map((b) => signIn(server, b.email)));
		const answers = await Promise.all(
			browsers.flatMap((browser) =>
				['epub', 'pdf'].map(async (format) => {
					const res = await browser.get(`/course/ebook.${format}`);
					return { format, status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
				})
			)
		);

		answers.forEach(({ format, status, bytes }, i) => {
			const buyer = buyers[Math.floor(i / 2)];
			expect(status, `${buyer.email} ${format}`).toBe(200);
			if (format === 'epub') {
				const files = unzipSync(bytes);
				const text = Object.values(files)
					.map((f) => strFromU8(f))
					.join('\n');
				expect(text).toContain(buyer.email);
				for (const other of buyers.filter((b) => b !== buyer)) expect(text).not.toContain(other.email);
			} else {
				const text = strFromU8(bytes, true);
				expect(text.startsWith('%PDF-')).toBe(true);
				expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
				expect(text).toContain(buyer.email);
				for (const other of buyers.filter((b) => b !== buyer)) expect(text).not.toContain(other.email);
			}
		});
	});
});
