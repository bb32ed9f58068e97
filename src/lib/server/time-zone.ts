// One formatter per zone: each new Intl.DateTimeFormat holds ICU memory outside V8's heap, and building one costs far
// more than using it.
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
	let format = wallClocks.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		wallClocks.set(timeZone, format);
	}
	return format;
}

// Offsets only change at whole quarter hours (every zone's transitions since 1970 do), so one formatToParts per
// zone and quarter hour serves every request: /course asks for ~30 offsets per view, each ~10 µs when computed.
const OFFSET_BUCKET_MS = 15 * 60 * 1000;
const OFFSET_CACHE_LIMIT = 50_000;
const offsets = new Map<string, number>();

/** How far timeZone's wall clock is ahead of UTC at an instant, in ms (+6 h for Asia/Dhaka). */
export function zoneOffset(timeZone: string, at: number): number {
	const bucket = Math.floor(at / OFFSET_BUCKET_MS) * OFFSET_BUCKET_MS;
	const key = `${timeZone} ${bucket}`;
	let offset = offsets.get(key);
	if (offset === undefined) {
		const parts: Record<string, number> = {};
		for (const part of wallClock(timeZone).formatToParts(new Date(bucket))) parts[part.type] = Number(part.value);
		offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - bucket;
		if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.clear();
		offsets.set(key, offset);
	}
	return offset;
}
