// The desk's list of students pages by key, through plain links (no JavaScript): newest first, or the longest idle
// first (who is stuck); every student shows once, in order, and a search holds on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { walkPages } from '../support/paging';
import { addUser, DAY, enrol, signIn } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const STUDENTS = 70;

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
	const active = server.db.prepare('update enrolments set last_active_at = ? where user_id = ?');
	for (let i = 0; i < STUDENTS; i++) {
		const userId = addUser(server.db, `${i % 2 ? 'odd' : 'even'}${i}@example.com`);
		enrol(server.db, userId, { daysAgo: 60 - (i % 40) });
		// Some never came back, some read yesterday, several share the same moment: the key needs its tie-break.
		if (i % 3) active.run(Date.now() - (i % 5) * DAY, userId);
	}
});
afterAll(async () => {
	await server?.stop();
});

const walk = async (start: string): Promise<number[][]> =>
	walkPages(await signIn(server, ADMIN), '/admin/students', start);

const ids = (sql: string): number[] => (server.db.prepare(sql).all() as { id: number }[]).map((r) => r.id);

describe('the list of students', () => {
	it('shows every student once, newest enrolment first, over pages linked by key', async () => {
		const pages = await walk('/admin/students');
		expect(pages.length).toBeGreaterThan(2);
		for (const page of pages.slice(0, -1)) expect(page.length).toBe(pages[0].length);
		expect(pages.flat()).toEqual(ids('select user_id id from enrolments order by id desc'));
	});

	it('shows the longest idle first, ties in enrolment order, every student once', async () => {
		const pages = await walk('/admin/students?sort=idle');
		expect(pages.length).toBeGreaterThan(2);
		expect(pages.flat()).toEqual(
			ids('select user_id id from enrolments order by coalesce(last_active_at, enrolled_at), id')
		);
	});

	it('keeps the search on the next page', async () => {
		const pages = await walk('/admin/students?q=odd&sort=idle');
		const odd = ids(`select e.user_id id from enrolments e join users u on u.id = e.user_id
			where u.email like 'odd%' order by coalesce(e.last_active_at, e.enrolled_at), e.id`);
		expect(odd.length).toBeGreaterThan(pages[0].length);
		expect(pages.flat()).toEqual(odd);
	});
});
