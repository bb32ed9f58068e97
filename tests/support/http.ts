/** A cookie jar small enough to read: name → value, filled from Set-Cookie. */
export class Browser {
	cookies = new Map<string, string>();

	constructor(readonly origin: string) {}

	private remember(res: Response): void {
		for (const line of res.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
			if (expired) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	async get(path: string, init: RequestInit = {}): Promise<Response> {
		const res = await fetch(new URL(path, this.origin), {
			redirect: 'manual',
			...init,
			headers: { cookie: this.cookieHeader(), ...(init.headers as Record<string, string>) }
		});
		this.remember(res);
		return res;
	}

	/** A same-origin form POST, as a browser sends it. */
	async post(
		path: string,
		fields: Record<string, string> = {},
		headers: Record<string, string> = {}
	): Promise<Response> {
		const res = await fetch(new URL(path, this.origin), {
			method: 'POST',
			redirect: 'manual',
			body: new URLSearchParams(fields),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				// A browser's form post asks for HTML; without it SvelteKit answers form actions with JSON.
				accept: 'text/html',
				origin: this.origin,
				cookie: this.cookieHeader(),
				...headers
			}
		});
		this.remember(res);
		return res;
	}

	/** A same-origin multipart form POST, as a browser sends a file upload (files as CSV). */
	async upload(
		path: string,
		fields: Record<string, string | { name: string; bytes: Uint8Array<ArrayBuffer> | string }>
	): Promise<Response> {
		const body = new FormData();
		for (const [key, value] of Object.entries(fields))
			if (typeof value === 'string') body.set(key, value);
			else body.set(key, new Blob([value.bytes], { type: 'text/csv' }), value.name);
		const res = await fetch(new URL(path, this.origin), {
			method: 'POST',
			body,
			redirect: 'manual',
			headers: { accept: 'text/html', origin: this.origin, cookie: this.cookieHeader() }
		});
		this.remember(res);
		return res;
	}
}
