import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import {
	addUser,
	bengaliDay,
	DAY,
	enrol,
	lessonFixtures,
	outcome,
	signIn,
	type EnrolmentSetup
} from '../support/students';

const ADMIN = 'admin@example.com';

interface Persona {
	name: string;
	/** Signed in, and with which enrolment; undefined = anonymous, null = no enrolment. */
	enrolment?: EnrolmentSetup | null;
	admin?: boolean;
}

const PERSONAS: Persona[] = [
	{ name: 'anonymous' },
	{ name: 'signed in without enrolment', enrolment: null },
	{ name: 'enrolled day 0', enrolment: { daysAgo: 0 } },
	{ name: 'enrolled day 3', enrolment: { daysAgo: 3 } },
	{ name: 'enrolled day 30', enrolment: { daysAgo: 30 } },
	{ name: 'revoked', enrolment: { daysAgo: 30, status: 'revoked' } },
	{ name: 'admin', enrolment: null, admin: true },
	{ name: 'day 0, every lesson opened by the seller', enrolment: { daysAgo: 0, allLessonsOpen: true } }
];

type Expected =
	| { status: 200; reads: true }
	| { status: 200; opensOn: string }
	| { status: 303 }
	| { status: 403; reason: 'buy' | 'ended' };

function expected(persona: Persona, lesson: { free: boolean; dripDay: number }): Expected {
	if (lesson.free || persona.admin) return { status: 200, reads: true };
	if (persona.enrolment === undefined) return { status: 303 };
	if (persona.enrolment === null) return { status: 403, reason: 'buy' };
	const { daysAgo = 0, status = 'active', allLessonsOpen = false } = persona.enrolment;
	if (status === 'revoked') return { status: 403, reason: 'ended' };
	if (allLessonsOpen || lesson.dripDay <= daysAgo) return { status: 200, reads: true };
	return { status: 200, opensOn: bengaliDay(Date.now() + (lesson.dripDay - daysAgo) * DAY) };
}

const fixtures = lessonFixtures();
let server: TestServer;
const browsers = new Map<string, Browser>();

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: `Boss@example.com, ${ADMIN}` });
	for (const [i, persona] of PERSONAS.entries()) {
		if (persona.enrolment === undefined) {
			browsers.set(persona.name, new Browser(server.origin));
			continue;
		}
		const email = persona.admin ? ADMIN : `student${i}@example.com`;
		const id = addUser(server.db, email);
		if (persona.enrolment) enrol(server.db, id, persona.enrolment);
		browsers.set(persona.name, await signIn(server, email));
	}
});

afterAll(async () => {
	await server?.stop();
});

describe('every lesson has sentences of its own to look for', () => {
	it.each(fixtures.map((f) => [f.lesson.slug, f.sentences] as const))('%s', (_, sentences) => {
		expect(sentences.length).toBeGreaterThanOrEqual(2);
	});
});

describe.each(PERSONAS)('$name', (persona) => {
	const cases = fixtures.flatMap(({ lesson }) =>
		(['page', '__data.json'] as const).map((kind) => ({
			slug: lesson.slug,
			kind,
			lesson,
			want: expected(persona, lesson)
		}))
	);

	it.each(cases)('$slug ($kind) → $want.status', async ({ slug, kind, lesson, want }) => {
		const browser = browsers.get(persona.name)!;
		const path = kind === 'page' ? `/lessons/${slug}` : `/lessons/${slug}/__data.json`;
		const got = await outcome(await browser.get(path));

		expect(got.status).toBe(want.status);
		if (want.status === 303) expect(got.location).toBe(`/login?next=${encodeURIComponent(`/lessons/${slug}`)}`);
		if (want.status === 403) {
			if (kind === 'page')
				expect(got.body).toContain(want.reason === 'buy' ? 'action="/checkout"' : 'প্রবেশাধিকার শেষ হয়েছে');
			else expect(got.body).toContain(`"reason":"${want.reason}"`);
		}
		if ('opensOn' in want) {
			expect(got.body).toContain(kind === 'page' ? `এই পাঠ খুলবে ${want.opensOn}` : want.opensOn);
			expect(got.body).toContain(lesson.summary);
		}

		// The lesson's own text only in the page of a reader entitled to it; no other lesson's text, ever. The
		// text is rendered on the server and never serialized, so __data.json carries none of it to anyone; the
		// entitled reader's __data.json still carries the summary, which shows Bengali text is visible in it.
		if ('reads' in want && kind === '__data.json') expect(got.body).toContain(lesson.summary);
		for (const other of fixtures) {
			const entitled = other.lesson.slug === slug && 'reads' in want && kind === 'page';
			for (const sentence of other.sentences) {
				if (entitled) expect(got.body).toContain(sentence);
				else expect(got.body).not.toContain(sentence);
			}
		}
	});
});
