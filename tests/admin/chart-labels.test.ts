// The chart table's day labels are made once a month and filled in; they must read exactly as formatDate writes a day.
import { describe, expect, it } from 'vitest';
import { dayLabels } from '../../src/lib/server/admin/chart';
import { formatDate } from '../../src/lib/format';

const DAY = 24 * 60 * 60 * 1000;

describe('the day labels under the chart', () => {
	it('equal formatDate for each of 90 days across a month and a year, in Dhaka and in Kolkata', () => {
		for (const [timeZone, offset] of [
			['Asia/Dhaka', 6 * 60 * 60 * 1000],
			['Asia/Kolkata', 5.5 * 60 * 60 * 1000]
		] as const) {
			// Local midnights from 15 November 2026 to 12 February 2027.
			const first = Date.UTC(2026, 10, 15) - offset;
			const days = Array.from({ length: 90 }, (_, i) => first + i * DAY);
			const labels = dayLabels(days, timeZone, offset);
			expect(labels).toEqual(days.map((d) => formatDate(d, timeZone)));
			expect(new Set(labels).size, timeZone).toBe(90);
		}
	});
});
