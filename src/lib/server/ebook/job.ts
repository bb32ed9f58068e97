/**
 * Books are built in a child process, one at a time. A build parses the fonts, loads HarfBuzz's WebAssembly,
 * pdfkit and fontkit, and grows V8's heap by tens of MB: in the store's own process all of that stayed for
 * its lifetime (about 40 MB of RSS after the first book). The child exits a few seconds after its last book,
 * which gives everything back, and a build no longer holds up the pages being served meanwhile.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dev } from '$app/environment';
import type { BookSource } from './book';
import type { EbookFormat } from './cache';
import type { BookFontFile, BookFonts } from './shaping';
import type { Stamp } from './stamp';

export interface BookJob {
	format: EbookFormat;
	source: BookSource;
	stamp: Stamp | null;
	fonts: BookFontFile[];
	/** The store's ORIGIN. */
	origin: string;
	builtAt: Date;
}

type Answer = { id: number; bytes: Uint8Array } | { id: number; problem: string };

const JOB_ARGUMENT = '--ebook-builder';
// Long enough for a launch's queue of first downloads to share one child, short enough to give memory back soon.
const IDLE_MS = 5000;

let fonts: BookFonts | undefined;

/** Builds the book in this process: what the child does, and what `vite dev` does (its modules are .ts). */
export async function buildHere(job: BookJob): Promise<Uint8Array> {
	const [{ bookOf }, { BookFonts }, { buildEpub }, { buildPdf }] = await Promise.all([
		import('./book'),
		import('./shaping'),
		import('./epub'),
		import('./pdf')
	]);
	// The fonts are the build's own and never change in a process: HarfBuzz parses them once.
	fonts ??= new BookFonts(job.fonts);
	const options = { book: bookOf(job.source), stamp: job.stamp, fonts, origin: job.origin, builtAt: job.builtAt };
	return job.format === 'epub' ? buildEpub(options) : buildPdf(options);
}

let child: ChildProcess | undefined;
let idle: NodeJS.Timeout | undefined;
let queue: Promise<unknown> = Promise.resolve();
let lastId = 0;

/** This very module, started as the builder: its chunk imports only what a build needs. */
function builder(): ChildProcess {
	if (child?.connected) return child;
	child = fork(fileURLToPath(import.meta.url), [JOB_ARGUMENT], { serialization: 'advanced', stdio: 'inherit' });
	// The builder never keeps the store from stopping: the store's exit closes the channel, and the builder ends.
	child.unref();
	child.channel?.unref();
	return child;
}

function buildInChild(job: BookJob): Promise<Uint8Array> {
	clearTimeout(idle);
	const worker = builder();
	const id = ++lastId;
	return new Promise<Uint8Array>((resolve, reject) => {
		const settle = () => {
			worker.off('message', onAnswer);
			worker.off('exit', onExit);
			idle = setTimeout(() => worker.connected && worker.disconnect(), IDLE_MS).unref();
		};
		const onAnswer = (answer: Answer) => {
			if (answer.id !== id) return;
			settle();
			if ('bytes' in answer) resolve(answer.bytes);
			else reject(new Error(`the ebook builder failed: ${answer.problem}`));
		};
		const onExit = (code: number | null, signal: string | null) => {
			settle();
			reject(new Error(`the ebook builder stopped (${signal ?? code}) before the book was built`));
		};
		worker.on('message', onAnswer);
		worker.on('exit', onExit);
		worker.send({ id, job });
	});
}

/** The book's bytes, built by the builder process, one book at a time. */
export function buildBook(job: BookJob): Promise<Uint8Array> {
	const inProcess = dev || !import.meta.url.endsWith('.js');
	const run = () => (inProcess ? buildHere(job) : buildInChild(job));
	const built = queue.then(run, run);
	queue = built.catch(() => undefined);
	return built;
}

/** In the builder: build each book asked for, answer with its bytes; end when the store lets go. */
function serveBuilds(send: NonNullable<typeof process.send>): void {
	process.on('message', (message: { id: number; job: BookJob }) => {
		buildHere(message.job).then(
			(bytes) => send({ id: message.id, bytes } satisfies Answer),
			(problem: unknown) =>
				send({
					id: message.id,
					problem: problem instanceof Error ? (problem.stack ?? problem.message) : String(problem)
				} satisfies Answer)
		);
	});
	process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes(JOB_ARGUMENT) && process.send) serveBuilds(process.send.bind(process));
