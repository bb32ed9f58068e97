import type { FontManifest } from '../../scripts/subset-font';

// Generated at build time by scripts/subset-font.ts (a Vite plugin, see vite.config.ts); a glob so that a
// fresh clone type-checks before its first build.
const urls = import.meta.glob<string>('./assets/fonts/*.woff2', { eager: true, query: '?url', import: 'default' });
const manifests = import.meta.glob<FontManifest>('./assets/fonts/fonts.json', { eager: true, import: 'default' });
const faces = Object.values(manifests)[0]?.faces ?? [];

/** The webfont files every page uses: preloaded so that text is drawn once, in the right font. */
export const fontUrls: string[] = faces.map((face) => urls[`./assets/fonts/${face.file}`]);

/** @font-face rules for the subset webfont. */
export const fontFaceCss: string = faces
	.map(
		(face, i) =>
			`@font-face{font-family:'${face.family}';font-style:normal;font-weight:${face.weight};font-display:swap;` +
			`src:url(${fontUrls[i]}) format('woff2');unicode-range:${face.unicodeRange}}`
	)
	.join('');
