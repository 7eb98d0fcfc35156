// Machine names of new entities and fields, as the entity manager suggests and checks them
// before the engine sees them (client-safe: no server imports).
import { reservedWords, systemColumns } from '../../../engine/metadata/names.ts';

/** The pattern every machine name follows (common.schema.json `name`). */
export const MACHINE_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** What can be wrong with a new machine name. */
export type NameProblem = 'empty' | 'pattern' | 'reserved' | 'system' | 'taken';

/**
 * What is wrong with the machine name of a new entity or field, or undefined when it may be
 * used: the pattern, PostgreSQL's reserved words, the system columns (fields only) and names
 * already taken — archived ones too, whose table or column still exists. A taken name is the
 * one mistake the engine cannot see: a document is keyed by its name, so a "new" field or
 * entity under a taken name would silently replace the existing one.
 *
 * @example machineNameProblem('order', new Set(), 'field') // 'reserved'
 */
export function machineNameProblem(name: string, taken: ReadonlySet<string>, kind: 'entity' | 'field'): NameProblem | undefined {
  if (!name) return 'empty';
  if (!MACHINE_NAME.test(name)) return 'pattern';
  if (reservedWords.has(name)) return 'reserved';
  if (kind === 'field' && systemColumns.has(name)) return 'system';
  if (taken.has(name)) return 'taken';
  return undefined;
}

/**
 * A machine name suggested from an English label: lower case, words joined by `_`, a letter
 * first, at most 48 characters; empty when the label has nothing to build one from.
 *
 * @example suggestMachineName('WeChat ID') // 'wechat_id'
 */
export function suggestMachineName(english: string): string {
  const words = english
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!words) return '';
  const name = /^[a-z]/.test(words) ? words : `f_${words}`;
  return name.slice(0, 48).replace(/_+$/, '');
}
