import { describe, expect, it } from 'vitest';
import { bnDigits, formatDate, formatPrice } from '../src/lib/format';

describe('format', () => {
	it('writes prices and numbers in Bengali digits', () => {
		expect(formatPrice(150000, 'BDT')).toBe('৳১,৫০০');
		expect(formatPrice(1900, 'USD')).toBe('US$১৯');
		expect(formatPrice(1950, 'USD')).toBe('US$১৯.৫০');
		expect(bnDigits(1500)).toBe('১,৫০০');
	});

	it('writes dates in the course timezone, with the year when asked', () => {
		const at = Date.UTC(2025, 10, 23, 20, 0); // 24 November in Dhaka
		expect(formatDate(at, 'Asia/Dhaka')).toBe('২৪ নভেম্বর');
		expect(formatDate(at, 'UTC')).toBe('২৩ নভেম্বর');
		expect(formatDate(at, 'Asia/Dhaka', true)).toBe('২৪ নভেম্বর, ২০২৫');
	});

	it('answers a date or a price asked again as the first time, past the bound of what it keeps too', () => {
		const intl = new Intl.DateTimeFormat('bn-BD', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: 'Asia/Dhaka'
		});
		const start = Date.UTC(2025, 0, 1, 17, 30);
		for (let round = 0; round < 2; round++)
			for (let hour = 0; hour < 8000; hour += 3) {
				const at = start + hour * 3_600_000;
				expect(formatDate(at, 'Asia/Dhaka', true)).toBe(intl.format(at));
				expect(formatPrice(100 * hour, 'BDT')).toBe(`৳${new Intl.NumberFormat('bn-BD').format(hour)}`);
			}
	});
});
