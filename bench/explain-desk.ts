/**
 * `npx tsx bench/explain-desk.ts`: the query plan of every statement the desk's pages run, on a database seeded at
 * the desk's size (lib/seed-desk.ts). Each distinct statement is printed once with SQLite's EXPLAIN QUERY PLAN;
 * a line with SCAN over a big table is what to look at. Prints; asserts nothing.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/app-server';
import { seedDesk } from './lib/seed-desk';

const dir = mkdtempSync(join(tmpdir(), 'store-explain-'));
process.env.DATABASE_PATH = join(dir, 'desk.db');
process.env.COURSE_DIR = join(ROOT, 'course');
process.env.ADMIN_EMAILS = 'seller@bench.example';

const { db } = await import('../src/lib/server/db');
const { loadCourse, useCourse } = await import('../src/lib/server/course');
const course = loadCourse(join(ROOT, 'course'));
useCourse(course);
const client = db().$client;
const seeder = new Database(process.env.DATABASE_PATH);
const seeded = seedDesk(seeder, course);
seeder.close();

// Every statement the desk prepares passes here: its plan is printed the first time it is seen.
const seen = new Set<string>();
const prepare = client.prepare.bind(client);
client.prepare = (source: string) => {
	if (!seen.has(source) && /^\s*select/i.test(source)) {
		seen.add(source);
		const params = (source.match(/\?/g) ?? []).map(() => 0);
		const plan = prepare(`explain query plan ${source}`)
			.all(...params)
			.map((r) => `    ${(r as { detail: string }).detail}`);
		console.log(`\n${source.replace(/\s+/g, ' ').slice(0, 400)}\n${plan.join('\n')}`);
	}
	return prepare(source);
};

const overview = await import('../src/lib/server/admin/overview');
const sales = await import('../src/lib/server/admin/sales');
const funnel = await import('../src/lib/server/admin/funnel');
const orders = await import('../src/lib/server/admin/orders');
const students = await import('../src/lib/server/admin/students');
const studentPage = await import('../src/lib/server/admin/student-page');
const orderPage = await import('../src/lib/server/admin/order-page');
const review = await import('../src/lib/server/payments/wallet/review');
const audit = await import('../src/lib/server/audit/log');

const tz = course.timezone;
console.log('# overview');
sales.salesByPeriod(tz);
sales.dailySales('90', course.currency, tz);
funnel.funnelSince(sales.periodStart('90', tz), tz);
overview.salesFigures();
overview.mailFigures();
overview.listFigures();
overview.paymentIssues();
overview.failedMails();
overview.recentOrders();
overview.lessonCompletion();
overview.revenueByMethod();
review.listPendingClaims();
console.log('\n# orders');
const none = { query: '', status: '' as const, method: '' as const, before: null };
orders.listOrders(none);
orders.listOrders({ ...none, before: seeded.middleOrderId });
orders.listOrders({ ...none, query: seeded.sampleEmail });
orders.listOrders({ ...none, query: 'TRX00001234' });
orders.listOrders({ ...none, status: 'refunded' });
orders.listOrders({ ...none, status: 'refunded', method: 'bkash' });
orders.listOrders({ ...none, status: 'revoked', method: 'nagad' });
console.log('\n# students');
students.listStudents({ query: '', sort: 'recent', after: null });
students.listStudents({ query: '', sort: 'idle', after: null });
students.listStudents({ query: '', sort: 'idle', after: '1700000000000:10' });
students.listStudents({ query: 'student2500', sort: 'recent', after: null });
studentPage.findStudent(seeded.benchStudentId);
orderPage.findOrder(seeded.middleOrderId);
audit.listAudit({});
rmSync(dir, { recursive: true, force: true });
