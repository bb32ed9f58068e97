// The wallets' received-money SMS read into amount, sender, TrxID and time; everything else refused; and the
// signature of the phone that forwards them. Pure functions, so no server: the samples and their sources are in
// wallet-sms-samples.ts.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWalletSms, verifySmsSignature } from '../../src/lib/server/payments/wallet/sms';
import { received, refused, variants } from './wallet-sms-samples';

describe('parseWalletSms', () => {
	it('has samples of every kind for every wallet', () => {
		for (const method of ['bkash', 'nagad', 'rocket'] as const) {
			expect(received.filter((s) => s.expected.method === method).length).toBeGreaterThanOrEqual(2);
		}
		expect(refused.length).toBeGreaterThanOrEqual(20);
		expect([...received, ...variants, ...refused].every((s) => s.source.length > 0)).toBe(true);
	});

	it.each(received.map((s) => [s.text.slice(0, 60), s] as const))('reads "%s…"', (_, sample) => {
		expect(parseWalletSms(sample.sender, sample.text)).toEqual(sample.expected);
	});

	it.each(variants.map((s) => [s.source, s] as const))('reads %s', (_, sample) => {
		expect(parseWalletSms(sample.sender, sample.text)).toEqual(sample.expected);
	});

	it.each(refused.map((s) => [s.why, s] as const))('refuses %s', (_, sample) => {
		expect(parseWalletSms(sample.sender, sample.text)).toBeNull();
	});

	it('knows each wallet under the sender ids phones show', () => {
		const bkash = received[0];
		const nagad = received.find((s) => s.expected.method === 'nagad')!;
		const rocket = received.find((s) => s.expected.method === 'rocket')!;
		for (const sender of ['bKash', 'BKASH', ' bkash '])
			expect(parseWalletSms(sender, bkash.text)?.method).toBe('bkash');
		for (const sender of ['NAGAD', 'Nagad']) expect(parseWalletSms(sender, nagad.text)?.method).toBe('nagad');
		for (const sender of ['16216', '+16216', 'DBBL', 'Rocket', 'DUTCHB']) {
			expect(parseWalletSms(sender, rocket.text)?.method).toBe('rocket');
		}
		for (const sender of ['bKash-Offer', 'Nagad2', '16217', 'Upay', '01712345678']) {
			expect(parseWalletSms(sender, bkash.text)).toBeNull();
		}
	});

	it('keeps amounts exact in poisha, with thousands and lakh separators', () => {
		const text = (amount: string) =>
			`You have received Tk ${amount} from 01735814791. Fee Tk 0.00. Balance Tk 1.00. TrxID BLU1H6X87P at 30/12/2024 13:22`;
		const cases: [string, number][] = [
			['0.01', 1],
			['0.1', 10],
			['1,530', 153000],
			['1,530.00', 153000],
			['1,530.5', 153050],
			['12,345.67', 1234567],
			['1,00,000.00', 10000000],
			['250,000.00', 25000000]
		];
		for (const [amount, poisha] of cases) expect(parseWalletSms('bKash', text(amount))?.amount).toBe(poisha);
	});

	it('refuses a message too long to be an SMS', () => {
		const text = `${received[0].text} ${'x'.repeat(5000)}`;
		expect(parseWalletSms('bKash', text)).toBeNull();
	});
});

describe('verifySmsSignature', () => {
	const secret = 'shh-test-secret';
	const now = 1764612000;
	const body =
		'{"sender":"bKash","text":"You have received Tk 1,530.00 from 01712345678. Fee Tk 0.00. Balance Tk 1,530.00. TrxID DAB1C2D3E4 at 01/12/2025 23:20","received_at":"2025-12-01T17:20:05Z"}';
	// Computed outside the project: printf '%s' "1764612000.$body" | openssl dgst -sha256 -hmac shh-test-secret
	const known = 'sha256=bbb08e923d6e05f1075ba09b4345fe42648da7bd930bb4c306fc19d3b6752fbc';
	const sign = (timestamp: string, raw: string, key = secret): string =>
		`sha256=${createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('hex')}`;

	it('accepts the signature as a forwarder computes it', () => {
		expect(verifySmsSignature(secret, String(now), known, body, now)).toBe(true);
		expect(verifySmsSignature(secret, String(now), known.toUpperCase().replace('SHA256=', 'sha256='), body, now)).toBe(
			true
		);
	});

	it('accepts up to five minutes either way, and no more', () => {
		for (const drift of [-300, -1, 0, 1, 300]) {
			const ts = String(now + drift);
			expect(verifySmsSignature(secret, ts, sign(ts, body), body, now)).toBe(true);
		}
		for (const drift of [-301, 301, -86400, 86400]) {
			const ts = String(now + drift);
			expect(verifySmsSignature(secret, ts, sign(ts, body), body, now)).toBe(false);
		}
	});

	it('refuses a missing, malformed or wrong signature', () => {
		const ts = String(now);
		const good = sign(ts, body);
		const refusedHeaders: [string | null, string | null][] = [
			[null, good],
			[ts, null],
			['', good],
			[ts, ''],
			[`${ts}.5`, sign(`${ts}.5`, body)],
			[`-${ts}`, sign(`-${ts}`, body)],
			['1e9', sign('1e9', body)],
			[ts, good.slice('sha256='.length)],
			[ts, good.replace('sha256=', 'sha1=')],
			[ts, good.slice(0, -2)],
			[ts, `${good}00`],
			[ts, `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`],
			[ts, sign(ts, body, 'another-secret')],
			[ts, sign(String(now - 1), body)],
			[ts, `sha256=${'z'.repeat(64)}`]
		];
		for (const [timestamp, signature] of refusedHeaders) {
			expect(verifySmsSignature(secret, timestamp, signature, body, now)).toBe(false);
		}
	});

	it('refuses a body changed after signing, by a byte or by a space', () => {
		const ts = String(now);
		const signature = sign(ts, body);
		expect(verifySmsSignature(secret, ts, signature, body.replace('1,530.00', '9,530.00'), now)).toBe(false);
		expect(verifySmsSignature(secret, ts, signature, `${body} `, now)).toBe(false);
		expect(verifySmsSignature(secret, ts, signature, body, now)).toBe(true);
	});

	it('refuses everything when no secret is set', () => {
		const ts = String(now);
		expect(verifySmsSignature('', ts, sign(ts, body, ''), body, now)).toBe(false);
	});

	it('signs bodies in Bengali as UTF-8', () => {
		const ts = String(now);
		const bengali = '{"sender":"bKash","text":"আপনি ৳১,৫৩০ পেয়েছেন"}';
		expect(verifySmsSignature(secret, ts, sign(ts, bengali), bengali, now)).toBe(true);
	});
});
