/**
 * Offline reading (src/service-worker.ts) is for signed-in students only: the worker is registered on their
 * pages alone, and it keeps nothing from an answer that does not carry this mark.
 */
import { studentStatus } from './access';
import type { SessionUser } from './auth/user';

export const OFFLINE_READER_HEADER = 'x-offline-reader';

export function isOfflineReader(user: SessionUser | null): boolean {
	return user !== null && studentStatus(user).kind === 'active';
}
