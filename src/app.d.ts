// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			user: { id: number; email: string; name: string | null; isAdmin: boolean } | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
