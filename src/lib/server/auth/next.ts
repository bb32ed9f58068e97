const MAX_LENGTH = 1024;
const PROBE = 'http://next.invalid';

/**
 * The path to return to after sign-in, or null when raw is anything but a path on this site.
 * Refuses protocol-relative (//evil), backslash (/\evil), absolute and encoded (/%2F%2Fevil) forms.
 */
export function safeNext(raw: string | null | undefined): string | null {
	if (!raw || raw.length > MAX_LENGTH || !raw.startsWith('/')) return null;
	// Browsers treat "\" as "/" and drop tabs and newlines, so "/\evil" and "/\t/evil" would leave the site.
	if (/[\\\s\p{Cc}]/u.test(raw)) return null;
	let decoded: string;
	try {
		decoded = decodeURIComponent(raw);
	} catch {
		return null;
	}
	if (decoded.startsWith('//') || /[\\\p{Cc}]/u.test(decoded)) return null;
	const url = new URL(raw, PROBE);
	if (url.origin !== PROBE) return null;
	const path = url.pathname + url.search + url.hash;
	return path.startsWith('//') ? null : path;
}
