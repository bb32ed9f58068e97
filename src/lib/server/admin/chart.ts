/** The overview's chart of daily revenue and sales, drawn on the server as SVG path data (no script in the page). */
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { DaySales } from './sales';

export const CHART = { width: 600, height: 220, top: 16, right: 44, bottom: 28, left: 56 } as const;

export interface Chart {
	/** One bar a day as one path's `d`: a rect per day cost more to send through the page's data and render. */
	bars: string;
	/** The revenue line's `d`. */
	revenueLine: string;
	revenueTicks: { y: number; value: number }[];
	salesTicks: { y: number; value: number }[];
	/** A few days labelled under the axis, by their index in the days drawn. */
	dayTicks: { x: number; index: number }[];
}

// A tenth of a pixel is finer than any screen draws; full doubles only lengthen the page.
const tenth = (n: number): number => Math.round(n * 10) / 10;

/** Sales as bars (right axis) and revenue as a line (left axis), for days of one currency. */
export function drawChart(days: DaySales[]): Chart {
	const { width, height, top, right, bottom, left } = CHART;
	const x = scaleBand<number>()
		.domain(days.map((d) => d.day))
		.range([left, width - right])
		.padding(0.2);
	const maxRevenue = Math.max(1, ...days.map((d) => d.revenue));
	const maxSales = Math.max(1, ...days.map((d) => d.sales));
	const revenue = scaleLinear()
		.domain([0, maxRevenue])
		.nice(4)
		.range([height - bottom, top]);
	const sales = scaleLinear()
		.domain([0, maxSales])
		.nice(Math.min(4, maxSales))
		.range([height - bottom, top]);
	const centre = (d: DaySales): number => (x(d.day) ?? 0) + x.bandwidth() / 2;
	const step = Math.max(1, Math.ceil(days.length / 6));
	const barWidth = tenth(x.bandwidth());
	let bars = '';
	for (const d of days) {
		const y = tenth(sales(d.sales));
		bars += `M${tenth(x(d.day) ?? 0)},${y}h${barWidth}v${tenth(height - bottom - y)}h${-barWidth}z`;
	}
	return {
		bars,
		revenueLine:
			line<DaySales>()
				.digits(1)
				.x(centre)
				.y((d) => revenue(d.revenue))(days) ?? '',
		revenueTicks: revenue.ticks(4).map((value) => ({ y: tenth(revenue(value)), value })),
		salesTicks: sales
			.ticks(Math.min(4, maxSales))
			.filter(Number.isInteger)
			.map((value) => ({ y: tenth(sales(value)), value })),
		dayTicks: days.flatMap((d, index) => (index % step === 0 ? [{ x: tenth(centre(d)), index }] : []))
	};
}

// Bengali day numbers 1 to 31, made once.
const BENGALI_DAYS = Array.from({ length: 32 }, (_, n) => String(n).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]));
// The one formatter the labels share, per zone; and per zone and month, the label's text around the day's number.
const monthFormats = new Map<string, Intl.DateTimeFormat>();
const monthFrames = new Map<string, [string, string]>();

/**
 * Each day's label as formatDate writes it ("২৪ নভেম্বর"), for the table under the chart: the formatter runs once a
 * month and the day's number is filled in, as formatting up to 90 dates on each visit cost more than the chart.
 * `offset` is the zone's offset the days were cut with (dailySales uses one for the period).
 */
export function dayLabels(days: number[], timeZone: string, offset: number): string[] {
	let format = monthFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('bn-BD', { day: 'numeric', month: 'long', timeZone });
		monthFormats.set(timeZone, format);
	}
	return days.map((day) => {
		const local = new Date(day + offset);
		const key = `${timeZone} ${local.getUTCFullYear()} ${local.getUTCMonth()}`;
		let frame = monthFrames.get(key);
		if (!frame) {
			const parts = format.formatToParts(day);
			const at = parts.findIndex((p) => p.type === 'day');
			const text = (from: number, to?: number): string =>
				parts
					.slice(from, to)
					.map((p) => p.value)
					.join('');
			monthFrames.set(key, (frame = [text(0, at), text(at + 1)]));
		}
		return frame[0] + BENGALI_DAYS[local.getUTCDate()] + frame[1];
	});
}
