// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			user: { id: number; email: string; name: string | null; isAdmin: boolean } | null;
			/** Looked up once by hooks.server.ts for a page kept per state (page-state.ts), then rendered from. */
			lessonState?: import('$lib/server/page-state').LessonState;
			courseState?: import('$lib/server/page-state').CourseState;
			/** The seller's overview, read by hooks.server.ts for a kept rendering, then rendered from. */
			overview?: import('$lib/server/admin/overview-page').OverviewView;
			/** The session cookie is sent again on this answer (hooks.server.ts). */
			sessionRenewed?: boolean;
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
