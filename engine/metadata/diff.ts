import { fieldTypeLabels } from '../field-types/labels.ts';
import type { LocalizedText } from '../i18n/text.ts';
import { isArchivedField, isEntity, type EntityDocument, type FieldDefinition, type MetadataDocument, type Model } from './model.ts';

/** What changed in one document between two versions, as lines an admin can read. */
export interface DocumentChange {
  kind: string;
  name: string;
  /** The document's label (after the change; before it when removed). */
  label: LocalizedText;
  change: 'created' | 'changed' | 'removed';
  lines: LocalizedText[];
}

/**
 * The readable difference between two models (the history's diff, a conflict's "their change"):
 * per changed document, one line per change — fields added, archived, restored or purged, labels
 * renamed, options changed; for other kinds, each changed setting with its old and new value.
 *
 * @example describeChanges(await loadModel(ctx, 4), await loadModel(ctx, 5))
 */
export function describeChanges(before: Model, after: Model): DocumentChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: DocumentChange[] = [];
  for (const key of keys) {
    const old = before.get(key);
    const now = after.get(key);
    if (old && now && JSON.stringify(old) === JSON.stringify(now)) continue;
    const doc = (now ?? old)!;
    const change = !old ? 'created' : !now ? 'removed' : 'changed';
    const lines = change === 'changed'
      ? isEntity(old!) && isEntity(now!) ? entityLines(old, now) : settingLines(old!, now!)
      : [];
    changes.push({ kind: doc.kind, name: doc.name, label: doc.label, change, lines });
  }
  return changes;
}

function entityLines(old: EntityDocument, now: EntityDocument): LocalizedText[] {
  const lines: LocalizedText[] = [];
  if (JSON.stringify(old.label) !== JSON.stringify(now.label)) lines.push(renamed(text('名称', 'Name'), old.label, now.label));
  const oldOptions = old.schema['x-forma'] ?? {};
  const newOptions = now.schema['x-forma'] ?? {};
  if (oldOptions.archived !== newOptions.archived) lines.push(newOptions.archived ? text('实体已归档', 'Entity archived') : text('实体已恢复', 'Entity restored'));
  for (const key of ['module', 'icon', 'displayField', 'workflow'] as const) {
    if (oldOptions[key] !== newOptions[key]) lines.push(setting(key, oldOptions[key], newOptions[key]));
  }
  const oldFields = old.schema.properties;
  const newFields = now.schema.properties;
  const oldRequired = new Set(old.schema.required ?? []);
  const newRequired = new Set(now.schema.required ?? []);
  for (const name of new Set([...Object.keys(oldFields), ...Object.keys(newFields)])) {
    const was = oldFields[name];
    const is = newFields[name];
    const label = fieldLabel(is ?? was!);
    if (!was) {
      const type = fieldTypeLabels[is!['x-forma'].type];
      lines.push(text(`新字段「${label['zh-CN']}」（${type?.['zh-CN'] ?? is!['x-forma'].type}）`, `New field "${label.en}" (${type?.en ?? is!['x-forma'].type})`));
      continue;
    }
    if (!is) {
      lines.push(text(`字段「${label['zh-CN']}」已清除`, `Field "${label.en}" purged`));
      continue;
    }
    if (isArchivedField(was) !== isArchivedField(is)) {
      lines.push(isArchivedField(is)
        ? text(`字段「${label['zh-CN']}」已归档`, `Field "${label.en}" archived`)
        : text(`字段「${label['zh-CN']}」已恢复`, `Field "${label.en}" restored`));
    }
    if (oldRequired.has(name) !== newRequired.has(name)) {
      lines.push(newRequired.has(name)
        ? text(`字段「${label['zh-CN']}」改为必填`, `Field "${label.en}" made required`)
        : text(`字段「${label['zh-CN']}」不再必填`, `Field "${label.en}" no longer required`));
    }
    if (JSON.stringify(was['x-forma'].label) !== JSON.stringify(is['x-forma'].label)) {
      lines.push(renamed(text(`字段「${fieldLabel(was)['zh-CN']}」的名称`, `Name of field "${fieldLabel(was).en}"`), fieldLabel(was), fieldLabel(is)));
    }
    const { label: _l, archived: _a, ...wasOptions } = was['x-forma'];
    const { label: _l2, archived: _a2, ...isOptions } = is['x-forma'];
    const { 'x-forma': _x, ...wasSchema } = was;
    const { 'x-forma': _x2, ...isSchema } = is;
    for (const [path, from, to] of [...leafChanges(wasOptions, isOptions, ''), ...leafChanges(wasSchema, isSchema, '')]) {
      lines.push(text(`字段「${label['zh-CN']}」的设置 ${path}：${shown(from)} → ${shown(to)}`, `Field "${label.en}", ${path}: ${shown(from)} → ${shown(to)}`));
    }
  }
  const oldOrder = Object.keys(oldFields).filter((n) => n in newFields);
  const newOrder = Object.keys(newFields).filter((n) => n in oldFields);
  if (oldOrder.join() !== newOrder.join()) lines.push(text('字段顺序已调整', 'Fields reordered'));
  return lines;
}

/** Each changed setting of a non-entity document, by its JSON Pointer, old → new. */
function settingLines(old: MetadataDocument, now: MetadataDocument): LocalizedText[] {
  return leafChanges(old, now, '').map(([path, from, to]) => text(`${path}：${shown(from)} → ${shown(to)}`, `${path}: ${shown(from)} → ${shown(to)}`));
}

/**
 * The places two JSON values differ, as [pointer, old, new]: objects are compared key by key,
 * arrays of the same length item by item; anything else (an array that grew or shrank, a value)
 * is one change of the whole.
 */
function leafChanges(a: unknown, b: unknown, path: string): [string, unknown, unknown][] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  const sameLengthArrays = Array.isArray(a) && Array.isArray(b) && a.length === b.length;
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => leafChanges(a[k], b[k], `${path}/${k}`));
  }
  if (sameLengthArrays) return a.flatMap((item, i) => leafChanges(item, b[i], `${path}/${i}`));
  return [[path || '/', a, b]];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field's label in both languages, each falling back to the other. */
function fieldLabel(field: FieldDefinition): LocalizedText {
  const l = field['x-forma'].label;
  return { 'zh-CN': l['zh-CN'] ?? l.en ?? '', en: l.en ?? l['zh-CN'] ?? '' };
}

function renamed(what: LocalizedText, from: LocalizedText, to: LocalizedText): LocalizedText {
  return text(`${what['zh-CN']}：${from['zh-CN']} → ${to['zh-CN']}`, `${what.en}: ${from.en} → ${to.en}`);
}

function setting(key: string, from: unknown, to: unknown): LocalizedText {
  return text(`${key}：${shown(from)} → ${shown(to)}`, `${key}: ${shown(from)} → ${shown(to)}`);
}

/** A value as a short line of text: JSON, cut at 80 characters; "—" for none. */
function shown(value: unknown): string {
  if (value === undefined) return '—';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

function text(zh: string, en: string): LocalizedText {
  return { 'zh-CN': zh, en };
}
