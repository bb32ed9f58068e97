// course.yaml's manual_payments and bdt_price: read with the rest of the course, mistakes named by file:line, and
// example wallet numbers refused by course:check once ORIGIN is public.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCourse, readCourse } from '../../src/lib/server/course';
import { FIXTURE_COURSE_DIR, SHIPPED_COURSE_DIR } from '../support/fixture-course';

const ROOT = resolve(import.meta.dirname, '../..');
const copies: string[] = [];

function copyCourse(change: (yaml: string) => string): string {
	const dir = join(mkdtempSync(join(tmpdir(), 'wallet-config-')), 'course');
	cpSync(FIXTURE_COURSE_DIR, dir, { recursive: true });
	copies.push(dir);
	const file = join(dir, 'course.yaml');
	const before = readFileSync(file, 'utf8');
	const after = change(before);
	expect(after, 'the edit changed nothing').not.toBe(before);
	writeFileSync(file, after);
	return dir;
}
afterEach(() => {
	for (const dir of copies.splice(0)) rmSync(resolve(dir, '..'), { recursive: true, force: true });
});

function problemAt(dir: string, text: string, message: string): void {
	const { course, problems } = readCourse(dir);
	expect(course).toBeUndefined();
	const file = join(dir, 'course.yaml');
	const line =
		readFileSync(file, 'utf8')
			.split('\n')
			.findIndex((l) => l.includes(text)) + 1;
	expect(line, text).toBeGreaterThan(0);
	expect(problems, JSON.stringify(problems)).toContainEqual(
		expect.objectContaining({ file, line, message: expect.stringContaining(message) as string })
	);
}

describe('reading manual_payments', () => {
	it('reads every method of the fixture, with its fee, account type and bank details; the taka price is the price', () => {
		const { manualPayments, price } = loadCourse(FIXTURE_COURSE_DIR);
		expect(manualPayments.bdtPrice).toBe(price);
		const bkash = manualPayments.methods.find((m) => m.method === 'bkash')!;
		expect(bkash).toMatchObject({ type: 'personal', bank: undefined });
		expect(bkash.number).toMatch(/^01[3-9]\d{8}$/);
		expect(bkash.fee).toBeGreaterThan(0);
		const bank = manualPayments.methods.find((m) => m.method === 'bank')!;
		expect(bank.number).toBeUndefined();
		expect(bank.bank?.accountNumber).toBeTruthy();
	});

	it('a USD course needs bdt_price for wallets, and takes it', () => {
		const usd = (s: string) => s.replace(/^currency: .*$/m, 'currency: USD').replace(/^price: .*$/m, 'price: 1900');
		problemAt(copyCourse(usd), '- method: bkash', 'need bdt_price');
		const priced = loadCourse(copyCourse((s) => usd(s).replace(/^timezone:/m, 'bdt_price: 230000\ntimezone:')));
		expect(priced.manualPayments.bdtPrice).toBe(230000);
	});

	it('bdt_price on a BDT course is refused: the price is already in taka', () => {
		problemAt(
			copyCourse((s) => s.replace(/^timezone:/m, 'bdt_price: 100000\ntimezone:')),
			'bdt_price',
			'only for a USD'
		);
	});

	it('a wallet number that is not an 11-digit mobile number, an unknown type or method, a method twice', () => {
		problemAt(
			copyCourse((s) => s.replace('number: "01711000001"', 'number: "1711000001"')),
			'- method: bkash',
			'11-digit'
		);
		problemAt(
			copyCourse((s) => s.replace('type: merchant', 'type: shop')),
			'- method: nagad',
			'personal, agent or merchant'
		);
		problemAt(
			copyCourse((s) => s.replace('- method: rocket', '- method: upay')),
			'- method: upay',
			'manual_payments'
		);
		problemAt(
			copyCourse((s) => s.replace('- method: rocket', '- method: bkash # again')),
			'# again',
			'listed twice'
		);
	});
});

describe('course:check and example numbers', () => {
	function courseCheck(dir: string, origin?: string): { status: number | null; output: string } {
		const env: NodeJS.ProcessEnv = { ...process.env, COURSE_DIR: dir };
		if (origin) env.ORIGIN = origin;
		else delete env.ORIGIN;
		const result = spawnSync('npm', ['run', '--silent', 'course:check'], { cwd: ROOT, env, encoding: 'utf8' });
		return { status: result.status, output: result.stdout + result.stderr };
	}

	it('the shipped course has example numbers: fine on a loopback store, refused with a public ORIGIN', () => {
		expect(courseCheck(SHIPPED_COURSE_DIR, 'http://localhost:3000').status).toBe(0);
		const live = courseCheck(SHIPPED_COURSE_DIR, 'https://course.example.com');
		expect(live.status, live.output).toBe(1);
		expect(live.output).toMatch(/course\.yaml:\d+ manual_payments: the bkash number is an example/);
		expect(live.output).toMatch(/course\.yaml:\d+ manual_payments: the nagad number is an example/);
	});

	it('real-looking numbers pass with a public ORIGIN', () => {
		const result = courseCheck(FIXTURE_COURSE_DIR, 'https://course.example.com');
		expect(result.status, result.output).toBe(0);
	});
});
