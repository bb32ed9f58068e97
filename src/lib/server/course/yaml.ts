/** Checks a YAML document (course.yaml, a lesson's front matter) against a schema, with each problem at its line. */
import * as v from 'valibot';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { CourseProblem } from './index';

export type KeysSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

export interface CheckedYaml<S extends KeysSchema> {
	/** The value of every key that passed its checks; a key with a problem is left out. */
	value: Partial<v.InferOutput<S>>;
	doc: Document;
	/** The file's line of the value at path (of its key, in a map), for problems found later. */
	lineOf: (path: readonly PropertyKey[]) => number;
	/** The file's line of an offset in source (undefined: its first line). */
	lineAt: (offset: number | undefined) => number;
}

/** The offset of the node at path: a map entry's key, a list's item; 0 when the top-level key is absent. */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
	let node: unknown = doc.contents;
	let offset = 0;
	for (const key of path) {
		if (isMap(node)) {
			const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
			if (!pair || !isNode(pair.key)) break;
			offset = pair.key.range?.[0] ?? offset;
			node = pair.value;
		} else if (isSeq(node) && typeof key === 'number') {
			const item: unknown = node.items[key];
			if (!isNode(item)) break;
			offset = item.range?.[0] ?? offset;
			node = item;
		} else break;
	}
	return offset;
}

/** An absent key and one left empty (`key:` or `key: ""`) are the same to the seller. */
const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';

/**
 * Parses source and checks it against schema, pushing each problem to problems as file:line. lineOffset is the
 * file's line before the YAML's first (1 for front matter after its opening ---). Undefined when it is no YAML map.
 */
export function checkYaml<S extends KeysSchema>(
	source: string,
	schema: S,
	file: string,
	lineOffset: number,
	problems: CourseProblem[]
): CheckedYaml<S> | undefined {
	const lines = new LineCounter();
	const at = (offset: number | undefined): number => lines.linePos(offset ?? 0).line + lineOffset;
	const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true });
	for (const error of doc.errors)
		problems.push({ file, line: at(error.pos[0]), message: `YAML: ${error.message.split('\n')[0]}` });
	if (doc.errors.length) return undefined;
	const parsed: unknown = doc.toJS();
	if (!isMap(doc.contents) || typeof parsed !== 'object' || parsed === null) {
		problems.push({ file, line: at(0), message: 'expected key: value pairs' });
		return undefined;
	}
	const lineOf = (path: readonly PropertyKey[]): number => at(offsetOf(doc, path));

	// Misspelt keys are reported: they would otherwise be ignored in silence.
	const keys = Object.keys(schema.entries);
	const input: Record<string, unknown> = {};
	for (const key of Object.keys(parsed)) {
		if (!keys.includes(key))
			problems.push({ file, line: lineOf([key]), message: `unknown key "${key}": use ${keys.join(', ')}` });
	}
	// Every known key is given, blank or not, so that each entry's own schema says what its absence means.
	for (const key of keys) {
		const value: unknown = (parsed as Record<string, unknown>)[key];
		input[key] = isBlank(value) ? undefined : value;
	}

	const result = v.safeParse(schema, input, { abortPipeEarly: true });
	if (result.success) return { value: result.output, doc, lineOf, lineAt: at };
	const failed = new Set<PropertyKey>();
	for (const issue of result.issues) {
		const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
		failed.add(path[0]);
		problems.push({ file, line: lineOf(path), message: issue.message });
	}
	const value = Object.fromEntries(
		Object.entries(result.output as Record<string, unknown>).filter(([key]) => !failed.has(key))
	) as Partial<v.InferOutput<S>>;
	return { value, doc, lineOf, lineAt: at };
}
