// `npm run course:check`: validates course/ (or COURSE_DIR) as the server does at start-up.
import { isAbsolute, relative, resolve } from 'node:path';
import { formatPrice } from '../src/lib/format';
import { pastBroadcastWarnings } from '../src/lib/server/broadcasts/check';
import { formatProblem, readCourse } from '../src/lib/server/course';
import { isLoopback } from '../src/lib/server/env';
import { exampleNumberProblems } from '../src/lib/server/payments/wallet/config';

/** The path as the seller finds it from the repo (absolute when it lies outside). */
function shown(path: string): string {
	const rel = relative(process.cwd(), path);
	return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const dir = resolve(process.env.COURSE_DIR?.trim() || 'course');
const { course, problems } = readCourse(dir);

if (!course) {
	for (const problem of problems) console.error(formatProblem({ ...problem, file: shown(problem.file) }));
	console.error(`\n${problems.length} problem(s) in ${shown(dir)}: the store will not start until they are fixed.`);
	process.exit(1);
}

// Buyers would send money to a stranger: example wallet numbers only on a store nobody else reaches.
const origin = process.env.ORIGIN?.trim();
const loopback = !origin || (URL.canParse(origin) && isLoopback(new URL(origin)));
const examples = exampleNumberProblems(course.manualPayments, loopback);
if (examples.length) {
	const file = shown(resolve(dir, 'course.yaml'));
	for (const { line, message } of examples) console.error(formatProblem({ file, line, message }));
	console.error(`\n${examples.length} problem(s) in ${shown(dir)}: fix them before going live on ${origin}.`);
	process.exit(1);
}

// The store's database, as env.ts reads it, tells which past broadcasts it has already sent.
const databasePath = resolve(process.env.DATABASE_PATH?.trim() || 'data/store.db');
for (const warning of pastBroadcastWarnings(course.broadcasts, databasePath))
	console.error(formatProblem({ ...warning, file: shown(warning.file) }));

const free = course.lessons.filter((l) => l.free).map((l) => l.slug);
const lastDay = Math.max(...course.lessons.map((l) => l.dripDay));
console.log(`OK: ${shown(dir)} — "${course.title}", ${course.lessons.length} lessons`);
console.log(
	`    price ${formatPrice(course.price, course.currency)} (${course.price} ${course.currency} in the minor unit)`
);
console.log(`    free previews: ${free.join(', ') || 'none'}; the last lesson opens on day ${lastDay}`);
const { faq, refundDays } = course.storefront;
console.log(
	`    pages: ${course.pages.map((p) => `/${p.slug}`).join(', ')}; ${faq.length} questions; ` +
		(refundDays ? `money back within ${refundDays} days` : 'no refund guarantee')
);
console.log(`    broadcasts: ${course.broadcasts.length} file(s) in emails/broadcasts/`);
console.log('Restart the store to publish the changes.');
