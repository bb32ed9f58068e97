import type { Cookies } from '@sveltejs/kit';
import { config } from './env';

export type CookieOptions = Parameters<Cookies['set']>[2];

/**
 * The one rule for the store's cookies: HttpOnly, SameSite=Lax, and Secure whenever the store is served over https
 * (its ORIGIN), so a loopback demo on http still keeps its cookies. Without maxAgeSeconds, a cookie for this session.
 */
export function cookieOptions(path: string, maxAgeSeconds?: number): CookieOptions {
	const options: CookieOptions = {
		path,
		httpOnly: true,
		sameSite: 'lax',
		secure: config().origin.startsWith('https:')
	};
	if (maxAgeSeconds !== undefined) options.maxAge = maxAgeSeconds;
	return options;
}
