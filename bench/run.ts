/**
 * `npm run bench`: how close each page of the store comes to the limit of Node on this machine.
 *
 * Builds the app, starts `node build` on a temporary database seeded like a store a few months in, and
 * loads each page with autocannon, alternating with a plain node:http server that answers the same bytes
 * as a lesson page (the ceiling) and with a bare SvelteKit app (bench/bare: one component, no data), what the
 * framework alone costs. Then the lines from bench/suites/, the page weight in Chromium, and the
 * server's memory. Prints a table and writes bench/results/latest.json. Figures, never assertions.
 *
 * BENCH_SKIP_BUILD=1 reuses build/; BENCH_SECONDS (5), BENCH_ROUNDS (2), BENCH_WARMUP_SECONDS (2) and
 * BENCH_CONNECTIONS (50) tune the run; BENCH_NODE_OPTIONS is passed to the server as NODE_OPTIONS, to
 * measure a deployment's V8 settings.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCourse, type Course } from '../src/lib/server/course';
import { buildApp, cpuTimeMs, freePort, memoryOf, ROOT, startApp, startBare } from './lib/app-server';
import { getRaw, load } from './lib/measure';
import { describePeak, MEMORY_PROBE, memoryPeak, type MemoryPeak } from './lib/memory';
import { kb, mean, printTable, summarize, type PageLine, type Round } from './lib/report';
import { createSession, seedStore } from './lib/seed';
import type { BenchContext, BenchSuite, SuiteLine, Target } from './lib/types';
import { CHROMIUM_PATH, chromiumMissing, launchChromium } from '../tests/support/chromium';
import { lessonWeight, type LessonWeight } from './lib/weight';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';
// A quick look at a few lines: only the pages and suites whose name matches, no page weight.
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

/** A sentence of a lesson's own text, to tell the lesson from a page that only names it. */
function sentenceOf(html: string): string {
	const paragraph = /<p>([^<]{40,})/.exec(html)?.[1] ?? '';
	return paragraph.slice(0, 40);
}

const GATED_LESSON = 'gated lesson, enrolled student';

/** The store's pages. A line whose route is not there yet is printed as skipped, not measured. */
function pageTargets(course: Course): Target[] {
	const lessons = course.lessons;
	const preview = lessons.find((l) => l.free && l.number > 0) ?? lessons.find((l) => l.free)!;
	const gated = lessons.find((l) => !l.free && l.dripDay === 0) ?? lessons.find((l) => !l.free)!;
	const gatedText = sentenceOf(gated.html);
	const locked = lessons.find((l) => !l.free && l.dripDay > 0);
	return [
		{ name: 'sales page', path: '/' },
		{ name: 'preview lesson', path: `/lessons/${preview.slug}` },
		{
			name: GATED_LESSON,
			path: `/lessons/${gated.slug}`,
			signedIn: true,
			unavailable: (status, html) =>
				status !== 200
					? `answers ${status}`
					: html.includes(gatedText)
						? null
						: 'answers without the lesson text: gating is not merged'
		},
		{ name: '/course, enrolled student', path: '/course', signedIn: true },
		// A launch day's reader: most lessons locked, so every view formats their opening dates.
		{ name: 'gated lesson, enrolled today', path: `/lessons/${gated.slug}`, newStudent: true },
		...(locked ? [{ name: 'locked lesson, enrolled today', path: `/lessons/${locked.slug}`, newStudent: true }] : []),
		{ name: '/course, enrolled today', path: '/course', newStudent: true },
		{ name: '/healthz', path: '/healthz' }
	];
}

async function loadSuites(): Promise<BenchSuite[]> {
	const dir = join(ROOT, 'bench/suites');
	if (!existsSync(dir)) return [];
	const files = readdirSync(dir)
		.filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
		.sort();
	const modules = await Promise.all(
		files.map(async (f) => (await import(pathToFileURL(join(dir, f)).href)) as { suite?: BenchSuite })
	);
	return modules.flatMap((m, i) => {
		if (!m.suite) console.error(`bench/suites/${files[i]} exports no suite: ignored`);
		return m.suite ? [m.suite] : [];
	});
}

/** Starts bench/plain-server.js answering exactly what `url` answered. */
async function startPlainServer(
	url: string,
	headers: Record<string, string>,
	dir: string
): Promise<{ origin: string; pid: number; stop(): void }> {
	const page = await getRaw(url, headers);
	const pairs: [string, string][] = [];
	for (let i = 0; i < page.rawHeaders.length; i += 2) pairs.push([page.rawHeaders[i], page.rawHeaders[i + 1]]);
	const file = join(dir, 'plain-response.json');
	writeFileSync(file, JSON.stringify({ status: page.status, headers: pairs, body: page.body.toString('base64') }));
	const port = await freePort();
	const child = spawn(process.execPath, [join(ROOT, 'bench/plain-server.js'), file, String(port)], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((done, fail) => {
		child.stdout.once('data', () => done());
		child.once('exit', (code) => fail(new Error(`plain server exited with ${code}`)));
	});
	return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}

async function main(): Promise<void> {
	buildApp();
	const course = loadCourse(join(ROOT, 'course'));
	const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
	const databasePath = join(dir, 'store.db');
	// The server samples its own memory (bench/lib/memory-probe.js), so each peak of RSS can be taken apart.
	const memoryFile = join(dir, 'memory.log');
	const SERVER_ENV = {
		NODE_OPTIONS: `--import ${pathToFileURL(MEMORY_PROBE).href} ${NODE_OPTIONS}`.trim(),
		BENCH_MEMORY_FILE: memoryFile
	};
	// Where the server's high-water mark of RSS rose, and what it was made of there.
	const memoryStages: { stage: string; peak: MemoryPeak }[] = [];
	let highWater = 0;
	const noteMemory = (stage: string, from: number) => {
		const peak = memoryPeak(memoryFile, from);
		if (peak && peak.rssMb > highWater + 5) memoryStages.push({ stage, peak });
		if (peak) highWater = Math.max(highWater, peak.rssMb);
	};

	// First start on an empty database (migrations run), then seed, then the restart a deploy would see.
	const firstStart = await startApp(databasePath, SERVER_ENV);
	const db = new Database(databasePath);
	db.pragma('busy_timeout = 5000');
	const seeded = seedStore(db, course);
	const sessionCookie = createSession(db, seeded.benchStudentId);
	const newStudentCookie = createSession(db, seeded.newStudentId);
	await firstStart.stop();
	const app = await startApp(databasePath, SERVER_ENV);
	noteMemory('start on the seeded database', 0);
	console.error(
		`Seeded ${seeded.students} students (${seeded.progressRows} progress rows), ` +
			(seeded.subscribers === null ? 'no subscribers table yet' : `${seeded.subscribers} subscribers`)
	);

	const ctx: BenchContext = {
		origin: app.origin,
		serverPid: app.pid,
		db,
		databasePath,
		course,
		sessionCookie,
		newStudentCookie,
		connections: CONNECTIONS,
		seconds: SECONDS,
		load: (url, options = {}) => load(url, { connections: CONNECTIONS, seconds: SECONDS, ...options })
	};
	const suites = (await loadSuites()).filter((s) => !ONLY || ONLY.test(s.name));
	const targets = [...pageTargets(course), ...suites.flatMap((s) => s.targets?.(ctx) ?? [])].filter(
		(t) => !ONLY || ONLY.test(t.name)
	);
	const headersOf = (t: Target): Record<string, string> =>
		t.newStudent ? { cookie: newStudentCookie } : t.signedIn ? { cookie: sessionCookie } : {};

	const lines = new Map<Target, PageLine>();
	const measured: Target[] = [];
	for (const target of targets) {
		const res = await fetch(app.origin + target.path, { headers: headersOf(target), redirect: 'manual' });
		const html = await res.text();
		const reason = target.unavailable
			? target.unavailable(res.status, html)
			: res.status === 200
				? null
				: `answers ${res.status}`;
		if (reason) lines.set(target, { name: target.name, path: target.path, skipped: reason });
		else measured.push(target);
	}

	const lesson = pageTargets(course)[1];
	const plain = await startPlainServer(app.origin + lesson.path, {}, dir);
	const plainTarget: Target = { name: `plain node:http, same bytes as ${lesson.path}`, path: lesson.path };
	const bare = await startBare();
	const bareTarget: Target = { name: 'bare SvelteKit page (bench/bare)', path: '/' };
	const serverOf = (t: Target) => (t === plainTarget ? plain : t === bareTarget ? bare : app);
	const urlOf = (t: Target) => serverOf(t).origin + t.path;
	const order = [plainTarget, bareTarget, ...measured];

	console.error(`Warming up (${WARMUP_SECONDS} s a line)…`);
	for (const t of order) {
		const from = Date.now();
		await ctx.load(urlOf(t), { seconds: WARMUP_SECONDS, headers: headersOf(t) });
		if (serverOf(t) === app) noteMemory(`warm-up: ${t.name}`, from);
	}

	const rounds = new Map<Target, Round[]>(order.map((t) => [t, []]));
	const loadBefore = loadavg()[0];
	const peaks = new Map<Target, number>();
	for (let round = 1; round <= ROUNDS; round++) {
		for (const t of order) {
			console.error(`Round ${round}/${ROUNDS}: ${t.name}`);
			const pid = serverOf(t).pid;
			const cpuBefore = cpuTimeMs(pid);
			const from = Date.now();
			const m = await ctx.load(urlOf(t), { headers: headersOf(t) });
			const cpuAfter = cpuTimeMs(pid);
			if (m.non2xx || m.errors) console.error(`  ${t.name}: ${m.non2xx} non-2xx answers, ${m.errors} errors`);
			const cpuMsPerRequest =
				cpuBefore !== null && cpuAfter !== null && m.requests ? (cpuAfter - cpuBefore) / m.requests : null;
			rounds.get(t)!.push({ ...m, cpuMsPerRequest });
			const memory = memoryOf(pid);
			if (memory) peaks.set(t, memory.peakMb);
			if (serverOf(t) === app) noteMemory(`round ${round}: ${t.name}`, from);
		}
	}
	const loadAfter = loadavg()[0];
	const rpsOf = (t: Target) => mean(rounds.get(t)!.map((r) => r.requestsPerSecond));
	const plainRps = rpsOf(plainTarget);
	const bareRps = rpsOf(bareTarget);
	for (const t of order) lines.set(t, summarize(t.name, t.path, rounds.get(t)!, peaks.get(t), plainRps, bareRps));
	const plainCpu = lines.get(plainTarget)!.cpuMsPerRequest;
	for (const t of order) {
		const line = lines.get(t)!;
		line.cpuRatioToPlain = plainCpu && line.cpuMsPerRequest ? plainCpu / line.cpuMsPerRequest : null;
	}
	plain.stop();
	bare.stop();

	const suiteLines: (SuiteLine & { suite: string })[] = [];
	for (const suite of suites) {
		if (!suite.run) continue;
		console.error(`Suite: ${suite.name}`);
		const from = Date.now();
		for (const line of await suite.run(ctx)) suiteLines.push({ suite: suite.name, ...line });
		noteMemory(`suite: ${suite.name}`, from);
	}

	const pageLines = [
		...order.map((t) => lines.get(t)!),
		...targets.filter((t) => !measured.includes(t)).map((t) => lines.get(t)!)
	];

	let weight: { preview: LessonWeight; gated: LessonWeight | null } | null = null;
	const weightFrom = Date.now();
	const browser = ONLY || chromiumMissing() ? null : await launchChromium();
	if (browser) {
		console.error('Page weight in Chromium…');
		const [first, second] = course.lessons.filter((l) => l.free);
		const gatedOpen = pageLines.some((l) => l.name === GATED_LESSON && l.skipped === undefined);
		const gated = course.lessons.filter((l) => !l.free);
		weight = {
			preview: await lessonWeight(browser, app.origin, `/lessons/${first.slug}`, `/lessons/${second.slug}`),
			gated: gatedOpen
				? await lessonWeight(
						browser,
						app.origin,
						`/lessons/${gated[0].slug}`,
						`/lessons/${gated[1].slug}`,
						sessionCookie
					)
				: null
		};
		await browser.close();
		noteMemory('page weight in Chromium', weightFrom);
	}

	const memory = memoryOf(app.pid);
	await app.stop();
	db.close();
	rmSync(dir, { recursive: true, force: true });

	console.log(
		`\nStore benchmark: ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s a line after ${WARMUP_SECONDS} s of warm-up, ` +
			`alternating with the plain server. Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}` +
			(NODE_OPTIONS ? `. Server NODE_OPTIONS: ${NODE_OPTIONS}` : '')
	);
	console.log(
		'bytes: one answer on the wire with Accept-Encoding: gzip, br, headers included; p99: the worse round; ' +
			'CPU/req: server CPU time per answer'
	);
	console.log(
		`load average (1 min) ${loadBefore.toFixed(1)} before the rounds, ${loadAfter.toFixed(1)} after, on ${cpus().length} CPUs\n`
	);
	printTable(pageLines);
	for (const line of suiteLines)
		console.log(
			`${line.suite}: ${line.name}  ${line.value.toLocaleString('en', { maximumFractionDigits: 1 })} ${line.unit}${line.note ? `  (${line.note})` : ''}`
		);
	console.log(
		`\ncold start to the first page: ${app.coldStartMs.toFixed(0)} ms (restart on the seeded database), ${firstStart.coldStartMs.toFixed(0)} ms (first start, migrations)`
	);
	if (memory)
		console.log(
			`server memory after the benchmark: ${memory.rssMb.toFixed(0)} MB resident, ${memory.peakMb.toFixed(0)} MB at peak`
		);
	console.log('where the peak of RSS rose (by 5 MB or more), sampled every 100 ms:');
	for (const { stage, peak } of memoryStages) console.log(`  ${stage}: ${describePeak(peak)}`);
	if (weight) {
		const describe = (label: string, w: LessonWeight) =>
			`${label}: first load ${kb(w.firstLoad.bytes)} (${w.firstLoad.transfers.length} requests), ` +
			`next lesson ${kb(w.secondLesson.bytes)} (${w.secondLesson.transfers.length}, ${w.secondLesson.fromCache} from cache), ` +
			`reopened ${kb(w.reload.bytes)} (${w.reload.transfers.length}, ${w.reload.fromCache} from cache)`;
		console.log(describe('weight, preview lessons', weight.preview));
		if (weight.gated) console.log(describe('weight, gated lessons', weight.gated));
	} else console.log(ONLY ? `weight: skipped, BENCH_ONLY is set` : `weight: skipped, no Chromium at ${CHROMIUM_PATH}`);

	mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
	const report = {
		date: new Date().toISOString(),
		machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model.trim() },
		settings: {
			connections: CONNECTIONS,
			seconds: SECONDS,
			rounds: ROUNDS,
			warmupSeconds: WARMUP_SECONDS,
			serverNodeOptions: NODE_OPTIONS
		},
		loadAverage: { before: loadBefore, after: loadAfter },
		seeded,
		coldStartMs: { restart: app.coldStartMs, firstStart: firstStart.coldStartMs },
		serverMemoryMb: memory,
		memoryStages,
		pages: pageLines,
		suites: suiteLines,
		weight
	};
	writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(report, null, '\t')}\n`);
	console.log('\nWritten to bench/results/latest.json');
}

await main();
