import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/lib/server/env';

const STRIPE = { STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_123' };
const RESEND = { RESEND_API_KEY: 're_123', MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫' };

/** Asserts that env stops the server with a ConfigError whose message names each variable. */
function expectRefused(env: Record<string, string>, ...names: string[]): void {
	let thrown: unknown;
	try {
		readConfig(env);
	} catch (e) {
		thrown = e;
	}
	expect(thrown, `readConfig(${JSON.stringify(env)}) should throw`).toBeInstanceOf(ConfigError);
	for (const name of names) expect((thrown as Error).message).toContain(name);
}

describe('readConfig', () => {
	it('runs a demo store on port 3000 with nothing set', () => {
		const config = readConfig({});
		expect(config).toMatchObject({
			port: 3000,
			origin: 'http://localhost:3000',
			databasePath: 'data/store.db',
			courseDir: 'course',
			stripeSecretKey: undefined,
			stripeWebhookSecret: undefined,
			stripeApiBase: undefined,
			resendApiKey: undefined,
			mailFrom: 'course@localhost',
			mailPostalAddress: undefined,
			dripIntervalSeconds: 60,
			demoPayments: true,
			demoMail: true
		});
		expect(config.adminEmails.size).toBe(0);
	});

	it('derives ORIGIN from PORT, and treats empty values as unset', () => {
		expect(readConfig({ PORT: '8080' }).origin).toBe('http://localhost:8080');
		const config = readConfig({
			PORT: '',
			ORIGIN: '  ',
			STRIPE_SECRET_KEY: '',
			RESEND_API_KEY: ' ',
			DATABASE_PATH: ''
		});
		expect([config.port, config.origin, config.databasePath]).toEqual([3000, 'http://localhost:3000', 'data/store.db']);
		expect([config.demoPayments, config.demoMail]).toEqual([true, true]);
	});

	it('reads a production configuration', () => {
		const config = readConfig({
			PORT: '3001',
			ORIGIN: 'https://course.example.com/',
			DATABASE_PATH: '/var/lib/store/store.db',
			COURSE_DIR: '/srv/course',
			...STRIPE,
			STRIPE_API_BASE: 'http://127.0.0.1:12111',
			...RESEND,
			RESEND_WEBHOOK_SECRET: 'whsec_abc',
			MAIL_FROM: 'কোর্স <course@example.com>',
			ADMIN_EMAILS: ' Seller@Example.com , help@example.com,',
			DRIP_INTERVAL_SECONDS: '0'
		});
		expect(config).toMatchObject({
			port: 3001,
			origin: 'https://course.example.com',
			databasePath: '/var/lib/store/store.db',
			courseDir: '/srv/course',
			stripeSecretKey: 'sk_test_123',
			stripeWebhookSecret: 'whsec_123',
			resendApiKey: 're_123',
			mailFrom: 'কোর্স <course@example.com>',
			dripIntervalSeconds: 0,
			demoPayments: false,
			demoMail: false
		});
		expect(config.stripeApiBase?.href).toBe('http://127.0.0.1:12111/');
		expect([...config.adminEmails]).toEqual(['seller@example.com', 'help@example.com']);
	});

	it.each(['abc', '3000x', '-1', '0', '65536', '30.5'])('refuses PORT=%s', (value) => {
		expectRefused({ PORT: value }, 'PORT');
	});

	it.each([
		'course.example.com',
		'localhost:3000',
		'ftp://course.example.com',
		'https://course.example.com/shop',
		'https://course.example.com/?a=1'
	])('refuses ORIGIN=%s', (value) => {
		expectRefused({ ORIGIN: value }, 'ORIGIN');
	});

	it('refuses a Stripe key without its webhook secret', () => {
		expectRefused({ STRIPE_SECRET_KEY: 'sk_test_123' }, 'STRIPE_WEBHOOK_SECRET', 'STRIPE_SECRET_KEY');
	});

	it('refuses malformed Stripe settings', () => {
		expectRefused({ ...STRIPE, STRIPE_SECRET_KEY: 'pk_test_123' }, 'STRIPE_SECRET_KEY');
		expectRefused({ ...STRIPE, STRIPE_WEBHOOK_SECRET: 'secret' }, 'STRIPE_WEBHOOK_SECRET');
		expectRefused({ STRIPE_API_BASE: '127.0.0.1:12111' }, 'STRIPE_API_BASE');
	});

	it('refuses a Resend key without a postal address', () => {
		expectRefused({ RESEND_API_KEY: 're_123' }, 'MAIL_POSTAL_ADDRESS', 'RESEND_API_KEY');
	});

	it('refuses malformed mail settings', () => {
		expectRefused({ ...RESEND, RESEND_WEBHOOK_SECRET: 'secret' }, 'RESEND_WEBHOOK_SECRET');
		expectRefused({ RESEND_BASE_URL: 'not a url' }, 'RESEND_BASE_URL');
		expectRefused({ MAIL_FROM: 'course' }, 'MAIL_FROM');
		expectRefused({ MAIL_FROM: 'Course <course@example.com>\r\nBcc: all@example.com' }, 'MAIL_FROM');
	});

	it.each(['seller', 'seller@example.com, not an address', 'seller@example.com;help@example.com'])(
		'refuses ADMIN_EMAILS=%s',
		(value) => {
			expectRefused({ ADMIN_EMAILS: value }, 'ADMIN_EMAILS');
		}
	);

	it.each(['often', '-5', '1.5', '86401'])('refuses DRIP_INTERVAL_SECONDS=%s', (value) => {
		expectRefused({ DRIP_INTERVAL_SECONDS: value }, 'DRIP_INTERVAL_SECONDS');
	});

	describe('demo mode only where it is safe', () => {
		const LIVE = { ...STRIPE, ...RESEND };

		it.each([
			'http://localhost:3000',
			'http://127.0.0.1:8080',
			'http://127.5.6.7',
			'http://[::1]:3000',
			'https://localhost'
		])('allows demo payments and mail on the loopback ORIGIN %s', (origin) => {
			expect(readConfig({ ORIGIN: origin })).toMatchObject({ demoPayments: true, demoMail: true, loopback: true });
		});

		it.each([
			'https://course.example.com',
			'http://192.168.1.10:3000',
			'http://localhost.example.com',
			'http://127.0.0.1.nip.io',
			'http://[::2]'
		])('refuses a missing key on the public ORIGIN %s, naming it and how to get it', (origin) => {
			expectRefused({ ORIGIN: origin, ...RESEND }, 'STRIPE_SECRET_KEY', 'Stripe Dashboard');
			expectRefused({ ORIGIN: origin, ...STRIPE }, 'RESEND_API_KEY', 'resend.com');
			expect(readConfig({ ORIGIN: origin, ...LIVE })).toMatchObject({
				demoPayments: false,
				demoMail: false,
				loopback: false
			});
		});

		it('runs a public demo with DEMO_MODE=1 and no keys, and refuses it with either key', () => {
			expect(readConfig({ ORIGIN: 'https://demo.example.com', DEMO_MODE: '1' })).toMatchObject({
				demoMode: true,
				demoPayments: true,
				demoMail: true
			});
			expectRefused(
				{ ORIGIN: 'https://demo.example.com', DEMO_MODE: '1', ...STRIPE },
				'DEMO_MODE',
				'STRIPE_SECRET_KEY'
			);
			expectRefused({ ORIGIN: 'http://localhost:3000', DEMO_MODE: '1', ...RESEND }, 'DEMO_MODE', 'RESEND_API_KEY');
			expect(readConfig({ ORIGIN: 'http://localhost:3000', DEMO_MODE: '0' }).demoMode).toBe(false);
		});

		it.each(['yes', 'true', '2'])('refuses DEMO_MODE=%s', (value) => {
			expectRefused({ DEMO_MODE: value }, 'DEMO_MODE');
		});

		it('requires ORIGIN once a key or DEMO_MODE is set', () => {
			expectRefused({ ...STRIPE }, 'ORIGIN is required', 'STRIPE_SECRET_KEY');
			expectRefused({ ...LIVE }, 'ORIGIN is required');
			expectRefused({ DEMO_MODE: '1' }, 'ORIGIN is required', 'DEMO_MODE');
		});
	});

	it('reads BODY_SIZE_LIMIT as adapter-node does, 1 MB when unset', () => {
		const limit = (value?: string) => readConfig({ BODY_SIZE_LIMIT: value }).bodySizeLimit;
		expect(limit()).toBe(1024 * 1024);
		expect([limit('512K'), limit('512k'), limit('2M'), limit('1000'), limit('Infinity')]).toEqual([
			512 * 1024,
			512 * 1024,
			2 * 1024 * 1024,
			1000,
			Infinity
		]);
		for (const value of ['big', '1MB', '-1K']) expectRefused({ BODY_SIZE_LIMIT: value }, 'BODY_SIZE_LIMIT');
	});
});
