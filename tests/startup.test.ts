// Start-up over the built server: for each ORIGIN (loopback, public, unset), payment and mail key and DEMO_MODE,
// the store either refuses with a message naming what is wrong, or starts, says what it runs as, and shows a
// banner that says only what is true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureCourse } from './support/fixture-course';
import { launchApp, startExpectingFailure, type AppProcess } from './support/server';

type OriginKind = 'loopback' | 'public' | 'unset';

interface Case {
	origin: OriginKind;
	stripe: boolean;
	resend: boolean;
	demo: boolean;
	/** Names the refusal must contain; undefined when the store starts. */
	refused?: string[];
}

const PUBLIC = 'https://shop.example.com';
const MONEY_LINE = 'কোনো আসল টাকা নেওয়া হয় না';
const MAILBOX_LINE = 'ডেমো মেইলবক্স';

// Every combination but two (unset ORIGIN, DEMO_MODE=1 and one key: the same refusal as with both keys).
// prettier-ignore
const CASES: Case[] = [
	{ origin: 'loopback', stripe: false, resend: false, demo: false },
	{ origin: 'loopback', stripe: true,  resend: false, demo: false },
	{ origin: 'loopback', stripe: false, resend: true,  demo: false },
	{ origin: 'loopback', stripe: true,  resend: true,  demo: false },
	{ origin: 'loopback', stripe: false, resend: false, demo: true },
	{ origin: 'loopback', stripe: true,  resend: false, demo: true,  refused: ['DEMO_MODE', 'STRIPE_SECRET_KEY'] },
	{ origin: 'loopback', stripe: false, resend: true,  demo: true,  refused: ['DEMO_MODE', 'RESEND_API_KEY'] },
	{ origin: 'loopback', stripe: true,  resend: true,  demo: true,  refused: ['DEMO_MODE', 'STRIPE_SECRET_KEY', 'RESEND_API_KEY'] },
	{ origin: 'public',   stripe: false, resend: false, demo: false, refused: ['STRIPE_SECRET_KEY', 'Stripe Dashboard', 'RESEND_API_KEY', 'resend.com', 'DEMO_MODE=1'] },
	{ origin: 'public',   stripe: true,  resend: false, demo: false, refused: ['RESEND_API_KEY', 'resend.com'] },
	{ origin: 'public',   stripe: false, resend: true,  demo: false, refused: ['STRIPE_SECRET_KEY', 'Stripe Dashboard'] },
	{ origin: 'public',   stripe: true,  resend: true,  demo: false },
	{ origin: 'public',   stripe: false, resend: false, demo: true },
	{ origin: 'public',   stripe: true,  resend: false, demo: true,  refused: ['DEMO_MODE', 'STRIPE_SECRET_KEY'] },
	{ origin: 'public',   stripe: false, resend: true,  demo: true,  refused: ['DEMO_MODE', 'RESEND_API_KEY'] },
	{ origin: 'public',   stripe: true,  resend: true,  demo: true,  refused: ['DEMO_MODE'] },
	{ origin: 'unset',    stripe: false, resend: false, demo: false },
	{ origin: 'unset',    stripe: true,  resend: false, demo: false, refused: ['ORIGIN is required', 'STRIPE_SECRET_KEY'] },
	{ origin: 'unset',    stripe: false, resend: true,  demo: false, refused: ['ORIGIN is required', 'RESEND_API_KEY'] },
	{ origin: 'unset',    stripe: true,  resend: true,  demo: false, refused: ['ORIGIN is required'] },
	{ origin: 'unset',    stripe: false, resend: false, demo: true,  refused: ['ORIGIN is required', 'DEMO_MODE'] },
	{ origin: 'unset',    stripe: true,  resend: true,  demo: true,  refused: ['DEMO_MODE'] }
];

const describeCase = (c: Case): string =>
	`ORIGIN ${c.origin}, ${c.stripe ? 'a' : 'no'} Stripe key, ${c.resend ? 'a' : 'no'} Resend key` +
	`${c.demo ? ', DEMO_MODE=1' : ''}: ${c.refused ? 'refuses' : 'starts'}`;

/** The environment for a case; a live key on the public origin, a test key on loopback. */
function envFor(c: Case, port?: number): Record<string, string | undefined> {
	return {
		ORIGIN: c.origin === 'public' ? PUBLIC : c.origin === 'loopback' ? `http://127.0.0.1:${port ?? 3000}` : undefined,
		DEMO_MODE: c.demo ? '1' : undefined,
		ADMIN_EMAILS: 'seller@example.com, helper@example.com',
		...(c.stripe
			? {
					STRIPE_SECRET_KEY: c.origin === 'public' ? 'sk_live_startup' : 'sk_test_startup',
					STRIPE_WEBHOOK_SECRET: 'whsec_startup'
				}
			: {}),
		...(c.resend ? { RESEND_API_KEY: 're_startup', MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫' } : {})
	};
}

/** The banner's text, or '' when there is none. */
function banner(html: string): string {
	return /<div class="demo[^"]*" role="note">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
}

const { course } = fixtureCourse();

describe('start-up', () => {
	let app: AppProcess | undefined;
	let dir: string | undefined;
	afterEach(async () => {
		await app?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
		app = dir = undefined;
	});

	it.each(CASES.filter((c) => c.refused).map((c) => [describeCase(c), c] as const))('%s', async (_, c) => {
		const env = Object.fromEntries(Object.entries(envFor(c)).filter(([, v]) => v !== undefined)) as Record<
			string,
			string
		>;
		const { code, output } = await startExpectingFailure(env);
		expect(code, output).not.toBe(0);
		expect(code, output).not.toBeNull();
		for (const name of c.refused!) expect(output).toContain(name);
		expect(output).not.toContain('Listening on');
	});

	it.each(CASES.filter((c) => !c.refused).map((c) => [describeCase(c), c] as const))('%s', async (_, c) => {
		dir = mkdtempSync(join(tmpdir(), 'store-startup-'));
		const dbPath = join(dir, 'store.db');
		// The loopback ORIGIN names the port the server gets; launchApp sets ORIGIN to it unless told otherwise.
		const env = envFor(c);
		if (c.origin === 'loopback') delete env.ORIGIN;
		app = await launchApp(dbPath, env);
		const output = app.output();

		const payments = !c.stripe ? 'demo' : c.origin === 'public' ? 'Stripe live' : 'Stripe test';
		const origin =
			c.origin === 'public' ? PUBLIC : c.origin === 'loopback' ? app.origin : `http://localhost:${app.port}`;
		const price = new Intl.NumberFormat('en', { style: 'currency', currency: course.currency }).format(
			course.price / 100
		);
		expect(output).toMatch(new RegExp(`origin: +${origin.replace(/[.]/g, '\\.')}\\n`));
		expect(output).toMatch(new RegExp(`payments: +${payments}`));
		expect(output).toMatch(new RegExp(`mail: +${c.resend ? 'Resend' : 'demo mailbox'}`));
		expect(output).toContain(resolve(dbPath));
		expect(output).toContain(`${course.lessons.length} lessons at ${price}`);
		expect(output).toMatch(/admins: +2\n/);

		const text = banner(await (await fetch(`${app.origin}/`)).text());
		expect(text.includes(MONEY_LINE), text).toBe(!c.stripe);
		expect(text.includes(MAILBOX_LINE), text).toBe(!c.resend);
		expect(text.includes('href="/dev/mailbox"'), text).toBe(!c.resend);
	});
});
