import { readFileSync } from 'node:fs';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** A Markdown file of the course (a lesson or a mail): its YAML front matter and the text after it. */
export interface FrontMatterFile {
	yaml: string;
	body: string;
	/** The file's line on which the body starts, for problems reported in it. */
	bodyLine: number;
}

/** Reads a Markdown file that starts with `---` front matter; undefined when it has none. */
export function readFrontMatter(file: string): FrontMatterFile | undefined {
	const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
	const front = FRONT_MATTER.exec(source);
	if (!front) return undefined;
	return { yaml: front[1], body: source.slice(front[0].length), bodyLine: front[0].split('\n').length };
}
