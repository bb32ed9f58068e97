import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/auth/next';

describe('safeNext', () => {
	it.each([
		['/course', '/course'],
		['/lessons/why-ai-now', '/lessons/why-ai-now'],
		['/lessons/why-ai-now?x=1#top', '/lessons/why-ai-now?x=1#top'],
		['/lessons/../course', '/course'],
		['/a%20b', '/a%20b']
	])('keeps the same-site path %s', (raw, want) => {
		expect(safeNext(raw)).toBe(want);
	});

	it.each([
		null,
		undefined,
		'',
		'course',
		'//evil.example',
		'//evil.example/path',
		'///evil.example',
		'/\\evil.example',
		'\\/evil.example',
		'/\\/evil.example',
		'https://evil.example',
		'http:evil.example',
		'javascript:alert(1)',
		'data:text/html,hi',
		'/%2F%2Fevil.example',
		'/%2f/evil.example',
		'/%5Cevil.example',
		'/%5c%5cevil.example',
		'%2F%2Fevil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/ /evil.example',
		'/./\\evil.example',
		'/.//evil.example',
		'/%E0%A4%A',
		`/${'a'.repeat(2000)}`
	])('refuses %j', (raw) => {
		expect(safeNext(raw)).toBeNull();
	});
});
