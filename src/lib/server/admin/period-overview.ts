/** The overview's picture of a period: the four periods' sales, the period's daily chart and its funnel. */
import { zoneOffset } from '../time-zone';
import { CHART, dayLabels, drawChart, type Chart } from './chart';
import { funnelSince, type Funnel } from './funnel';
import { dailySales, periodStart, salesByPeriod, type DaySales, type Period, type PeriodSales } from './sales';
import { untilWritten } from './until-written';

export interface PeriodOverview {
	periods: PeriodSales[];
	chart: { days: DaySales[]; labels: string[]; drawn: Chart; currency: string; size: typeof CHART };
	funnel: Funnel;
}

/**
 * Read from stored days that only a write changes, and the same all day: kept until the next write (untilWritten),
 * as drawing 90 days and summing their rows was most of the overview's cost. Call inside readTogether.
 */
export function periodOverview(period: Period, timeZone: string, currency: string, now = Date.now()): PeriodOverview {
	const offset = zoneOffset(timeZone, now);
	const today = periodStart('today', timeZone, now);
	return untilWritten(`period ${period} ${timeZone} ${currency} ${today} ${offset}`, () => {
		const days = dailySales(period, currency, timeZone, now);
		const labels = dayLabels(
			days.map((d) => d.day),
			timeZone,
			offset
		);
		const periods = salesByPeriod(timeZone, now);
		const purchases = periods.find((p) => p.period === period)?.orders;
		return {
			periods,
			chart: { days, labels, drawn: drawChart(days), currency, size: CHART },
			funnel: funnelSince(periodStart(period, timeZone, now), timeZone, purchases)
		};
	});
}
