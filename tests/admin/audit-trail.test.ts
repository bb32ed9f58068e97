// A student's page shows each audit entry's change as a list of fields in Bengali, not as the stored JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { addUser, enrol, signIn, submit } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
let studentId: number;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	studentId = addUser(server.db, 'reader@example.com', 'পাঠক');
	enrol(server.db, studentId, { daysAgo: 1 });
});
afterAll(async () => {
	await server?.stop();
});

describe("the audit trail on a student's page", () => {
	it('names each changed field with its value before and after', async () => {
		const admin = await signIn(server, ADMIN);
		const path = `/admin/students/${studentId}`;
		expect((await submit(admin, `${path}?/revoke`, { reason: 'চার্জব্যাক', confirm: '1' })).status).toBe(200);
		expect((await submit(admin, `${path}?/name`, { name: 'নতুন নাম' })).status).toBe(200);
		const stored = server.db.prepare("select before, after from audit_log where action = 'revoke'").get() as {
			before: string;
		};
		expect(stored.before, 'the entry is stored as JSON').toContain('"status":"active"');

		const html = (await (await admin.get(path)).text()).replaceAll(/<!--.*?-->/g, '').replaceAll(/\s+/g, ' ');
		expect(html).toContain('অবস্থা: সক্রিয় → প্রবেশ বন্ধ');
		expect(html).toContain('কারণ: — → চার্জব্যাক');
		expect(html).toContain('নাম: পাঠক → নতুন নাম');
		expect(html).not.toContain('&quot;status&quot;');
		expect(html).not.toContain('{"name"');
	});
});
