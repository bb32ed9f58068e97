// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			user: { id: number; email: string; name: string | null; isAdmin: boolean } | null;
		}
		interface Error {
			message: string;
			/** A 403 that the error page explains: "buy" shows the buy button, "ended" says access has ended, "pending" that a wallet payment is being checked. */
			reason?: 'buy' | 'ended' | 'pending';
			/** The course price as shown on the buy button. */
			price?: string;
		}
	}
}

export {};
