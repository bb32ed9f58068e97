import { createHash } from 'node:crypto';

/**
 * The store's one SHA-256: tokens and session ids are stored only as this hash, and content is named by it
 * (mail parts, ebook builds and identifiers, share-card files).
 */
export function sha256(data: string, encoding: 'hex' | 'base64url' = 'hex'): string {
	return createHash('sha256').update(data).digest(encoding);
}
