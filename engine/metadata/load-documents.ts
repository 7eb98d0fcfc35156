import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { problem, type Problem } from '../errors.ts';
import type { DocumentInput } from './read-documents.ts';

/**
 * Reads metadata documents from a `.json` file (one document, or an array of them) or from a
 * folder (every `.json` below it, in name order; a package manifest is read like any other
 * document). Unreadable files and malformed JSON become problems with line and column.
 */
export async function loadDocuments(path: string): Promise<{ inputs: DocumentInput[]; problems: Problem[] }> {
  const inputs: DocumentInput[] = [];
  const problems: Problem[] = [];
  let files: string[];
  try {
    files = (await stat(path)).isDirectory() ? await jsonFilesUnder(path) : [path];
  } catch (error) {
    return { inputs, problems: [problem('file_unreadable', '', { file: path, detail: (error as Error).message }, path)] };
  }
  for (const file of files) {
    const source = file === path ? file : join(path, relative(path, file));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push(problem('file_unreadable', '', { file, detail: (error as Error).message }, source));
      continue;
    }
    const parsed = parseJson(text, source);
    if ('problem' in parsed) problems.push(parsed.problem);
    else if (Array.isArray(parsed.value)) {
      parsed.value.forEach((document, i) => inputs.push({ document, source: `${source}#/${i}` }));
    } else inputs.push({ document: parsed.value, source });
  }
  if (!inputs.length && !problems.length) problems.push(problem('no_documents', '', { file: path }, path));
  return { inputs, problems };
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** JSON.parse, with the position of a syntax error turned into a line and column. */
export function parseJson(text: string, source: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const detail = (error as Error).message;
    const position = Number(/position (\d+)/.exec(detail)?.[1] ?? text.length);
    const before = text.slice(0, position).split('\n');
    return {
      problem: problem('json_malformed', '', { detail, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }, source),
    };
  }
}
