import type { Transport } from '@sveltejs/kit';
import { RenderOnly } from '$lib/render-only';

export const transport: Transport = {
	RenderOnly: {
		encode: (value) => value instanceof RenderOnly && 1,
		decode: () => new RenderOnly(undefined)
	}
};
