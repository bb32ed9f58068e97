// The time a seller types on /admin/broadcasts is the store's wall clock: read in its timezone, in Latin or Bengali
// digits, from the phone's picker or typed; a past, impossible or far-off time is refused in Bengali.
import { expect, test } from 'vitest';
import { readSendAt } from '../../src/lib/server/broadcasts/form';

const NOW = Date.UTC(2026, 11, 1, 18, 0); // 2 December 2026, 00:00 in Dhaka
const at = (text: string, timeZone = 'Asia/Dhaka') => readSendAt(text, timeZone, NOW);

test('a picker value, a typed value and Bengali digits are the same moment, six hours ahead of UTC in Dhaka', () => {
	const expected = { ok: true, at: Date.UTC(2026, 11, 20, 4, 0), text: '2026-12-20T10:00' };
	expect(at('2026-12-20T10:00')).toEqual(expected);
	expect(at(' 2026-12-20 10:00 ')).toEqual(expected);
	expect(at('২০২৬-১২-২০ ১০:০০')).toEqual(expected);
	expect(at('2026-12-20T10:00:00')).toEqual(expected);
});

test("the timezone is the store's, including one with daylight saving", () => {
	expect(at('2026-12-20T10:00', 'UTC')).toMatchObject({ at: Date.UTC(2026, 11, 20, 10, 0) });
	expect(at('2027-07-01T10:00', 'Europe/London')).toMatchObject({ at: Date.UTC(2027, 6, 1, 9, 0) });
});

test('empty means now', () => {
	expect(at('')).toEqual({ ok: true, at: null, text: '' });
	expect(readSendAt(undefined, 'Asia/Dhaka', NOW)).toEqual({ ok: true, at: null, text: '' });
});

test.each([
	['2026-02-30T10:00', 'বোঝা যায়নি'],
	['2026-12-20T24:00', 'বোঝা যায়নি'],
	['2026-12-20T10:60', 'বোঝা যায়নি'],
	['20/12/2026 10:00', 'বোঝা যায়নি'],
	['tomorrow', 'বোঝা যায়নি'],
	['2026-12-01T23:59', 'পার হয়ে গেছে'],
	['2026-12-02T00:00', 'পার হয়ে গেছে'],
	['2028-01-01T10:00', 'এক বছরের মধ্যের']
])('%s is refused', (text, message) => {
	const read = at(text);
	expect(read.ok).toBe(false);
	expect(read.ok ? '' : read.message).toContain(message);
});
