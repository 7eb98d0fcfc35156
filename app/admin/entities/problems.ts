// Problems at the control they are about (client-safe): the entity manager's own checks of what
// the admin types, and the engine's problems (JSON Pointers into the entity document) mapped to
// the control that edits that place. Controls are named by strings: `label.zh-CN`, `expression`,
// `option.2.value`, `entity.displayField`…
import { t, type Locale, type TextKey } from '../../text/index.ts';
import type { ProblemView } from '../change.ts';
import { defaultKind, type FieldDraft, type FieldTypeInfo } from './field-draft.ts';
import type { EntitySettings } from './entity-draft.ts';
import { machineNameProblem, type NameProblem } from './names.ts';

/** A problem in the admin's language at one control. */
export interface ControlProblem {
  control: string;
  message: string;
  /** Something not filled in yet (rather than something wrong): shown once the admin tries to go on. */
  missing?: true;
}

/** Problems that only say something is not filled in yet. */
const missingKeys: ReadonlySet<TextKey> = new Set(['ae_err_name_empty', 'ae_err_label_empty', 'ae_err_options_empty', 'ae_err_choose', 'ae_err_expression_empty']);

/** What the checks of a field draft need to know besides the draft. */
export interface FieldCheckContext {
  /** Whether the machine name is still editable (the field is not applied yet). */
  isNew: boolean;
  /** The other fields' names, archived ones included. */
  taken: ReadonlySet<string>;
  info: FieldTypeInfo | undefined;
}

const CHOICE_VALUE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * What the entity manager sees wrong with a field draft before asking the engine: the machine
 * name (pattern, reserved, taken), empty labels, choices (empty, malformed or repeated values,
 * empty labels), a missing lookup target, child entity, numbering rule or formula, and numbers
 * that are not numbers. Ranges and references are the engine's to check (`validate`).
 *
 * @example fieldDraftProblems({ ...draft, name: 'phone' }, { isNew: true, taken: new Set(['phone']), info }, 'en')
 *   // [{ control: 'name', message: 'This entity already has a field "phone" (archived ones count)' }]
 */
export function fieldDraftProblems(draft: FieldDraft, context: FieldCheckContext, locale: Locale): ControlProblem[] {
  const problems: ControlProblem[] = [];
  const report = (control: string, key: TextKey, params: Record<string, unknown> = {}) => problems.push(controlProblem(control, key, params, locale));
  if (context.isNew) {
    const name = machineNameProblem(draft.name, context.taken, 'field');
    if (name) report('name', nameProblemText(name, 'field'), { name: draft.name });
  }
  for (const lang of ['zh-CN', 'en'] as const) if (!draft.label[lang].trim()) report(`label.${lang}`, 'ae_err_label_empty');
  const has = (option: string) => context.info?.options.includes(option) ?? false;
  if (has('options')) {
    if (!draft.options.length) report('options', 'ae_err_options_empty');
    const seen = new Set<string>();
    for (const [i, option] of draft.options.entries()) {
      const value = option.value.trim();
      if (!CHOICE_VALUE.test(value)) report(`option.${i}.value`, 'ae_err_option_value');
      else if (seen.has(value)) report(`option.${i}.value`, 'ae_err_option_duplicate', { value });
      seen.add(value);
      for (const lang of ['zh-CN', 'en'] as const) if (!option.label[lang].trim()) report(`option.${i}.label.${lang}`, 'ae_err_label_empty');
      const probability = option.probability.trim();
      if (probability && !(Number(probability) >= 0 && Number(probability) <= 100)) report(`option.${i}.probability`, 'ae_err_option_probability');
    }
  }
  for (const choice of ['target', 'entity', 'numbering'] as const) if (has(choice) && !draft[choice]) report(choice, 'ae_err_choose');
  if (has('expression') && !draft.expression.trim()) report('expression', 'ae_err_expression_empty');
  const whole = (control: 'maxLength' | 'scale' | 'maxSizeMb', min: number, max: number) => {
    const text = draft[control].trim();
    if (text && !(Number.isInteger(Number(text)) && Number(text) >= min && Number(text) <= max)) report(control, 'ae_err_whole_number', { min, max });
  };
  if (context.info?.defaultMaxLength !== undefined) whole('maxLength', 1, 1_000_000);
  if (has('scale')) whole('scale', 0, context.info?.maxScale ?? 10);
  if (has('maxSizeMb')) whole('maxSizeMb', 1, 100);
  if (has('currency') && draft.currency.trim() && !/^[A-Z]{3}$/.test(draft.currency.trim())) report('currency', 'ae_err_currency');
  const kind = defaultKind(draft.type);
  const typed = draft.defaultValue.trim();
  if (typed && kind === 'integer' && !Number.isInteger(Number(typed))) report('default', 'ae_err_default_integer');
  if (typed && kind === 'number' && !Number.isFinite(Number(typed))) report('default', 'ae_err_default_number');
  return problems;
}

/**
 * What is wrong with a new entity's or any entity's settings: the machine name of a new one
 * (pattern, reserved, taken by another entity, archived ones included) and empty labels.
 */
export function entitySettingsProblems(settings: EntitySettings, isNew: boolean, takenEntities: ReadonlySet<string>, locale: Locale): ControlProblem[] {
  const problems: ControlProblem[] = [];
  if (isNew) {
    const name = machineNameProblem(settings.name, takenEntities, 'entity');
    if (name) problems.push(controlProblem('entity.name', nameProblemText(name, 'entity'), { name: settings.name }, locale));
  }
  for (const lang of ['zh-CN', 'en'] as const) {
    if (!settings.label[lang].trim()) problems.push(controlProblem(`entity.label.${lang}`, 'ae_err_label_empty', {}, locale));
  }
  return problems;
}

function controlProblem(control: string, key: TextKey, params: Record<string, unknown>, locale: Locale): ControlProblem {
  return { control, message: t(locale, key, params), ...(missingKeys.has(key) ? { missing: true as const } : {}) };
}

/**
 * The problems to show now: all of them once the admin tried to go on (`insist`); before that
 * only what is wrong, not what is still empty — nor the engine's word on those empty controls.
 */
export function shownProblems(own: readonly ControlProblem[], engine: readonly ControlProblem[], insist: boolean): { own: ControlProblem[]; engine: ControlProblem[] } {
  if (insist) return { own: [...own], engine: [...engine] };
  const waiting = new Set(own.filter((p) => p.missing).map((p) => p.control));
  return { own: own.filter((p) => !p.missing), engine: engine.filter((p) => !waiting.has(p.control)) };
}

function nameProblemText(problem: NameProblem, kind: 'entity' | 'field'): TextKey {
  switch (problem) {
    case 'empty': return 'ae_err_name_empty';
    case 'pattern': return 'ae_err_name_pattern';
    case 'reserved': return 'ae_err_name_reserved';
    case 'system': return 'ae_err_name_system';
    case 'taken': return kind === 'field' ? 'ae_err_field_taken' : 'ae_err_entity_taken';
  }
}

/** Where a field lives in its entity document (a valid machine name needs no escaping). */
function fieldPointer(name: string): string {
  return `/schema/properties/${name}`;
}

/**
 * The control of the field editor that edits the place a problem points at, from the pointer
 * relative to the field (`/x-forma/options/2/value` → `option.2.value`); `general` for places
 * no control edits (they are listed at the top of the editor).
 */
export function fieldControlOf(relative: string): string {
  const [, first, second, third, ...rest] = relative.split('/');
  if (first === undefined) return 'name';
  if (first === 'default' || first === 'maxLength') return first;
  if (first !== 'x-forma' || second === undefined) return 'general';
  if (second === 'label') return third === 'en' ? 'label.en' : 'label.zh-CN';
  if (second === 'help') return 'help';
  if (second === 'column') return 'name';
  if (second === 'options') return third === undefined ? 'options' : `option.${third}.${[...rest].join('.') || 'value'}`;
  return fieldControls.has(second) ? second : 'general';
}

const fieldControls = new Set([
  'type', 'target', 'entity', 'numbering', 'expression', 'resultType', 'scale', 'currency', 'level', 'multiple', 'maxSizeMb',
  'unique', 'searchable', 'filterable',
]);

/**
 * The engine's problems about one field, at their controls: those under the field's pointer,
 * and a `required` problem at its place in the entity's required list.
 */
export function fieldEngineProblems(problems: readonly ProblemView[], name: string, required: readonly string[]): ControlProblem[] {
  const at = fieldPointer(name);
  return problems.flatMap((p) => {
    if (p.path === at || p.path.startsWith(`${at}/`)) return [{ control: fieldControlOf(p.path.slice(at.length)), message: p.message }];
    const listed = /^\/schema\/required\/(\d+)$/.exec(p.path);
    return listed && required[Number(listed[1])] === name ? [{ control: 'required', message: p.message }] : [];
  });
}

/**
 * The engine's problems about the entity itself (not one of its fields), at the settings
 * control they are about; `entity.general` for the rest.
 */
export function entityEngineProblems(problems: readonly ProblemView[]): ControlProblem[] {
  return problems.flatMap((p) => {
    if (p.path.startsWith('/schema/properties/') || /^\/schema\/required\/\d+$/.test(p.path)) return [];
    return [{ control: entityControlOf(p.path), message: p.message }];
  });
}

function entityControlOf(path: string): string {
  if (path === '/name') return 'entity.name';
  if (path.startsWith('/label')) return path === '/label/en' ? 'entity.label.en' : 'entity.label.zh-CN';
  const option = /^\/schema\/x-forma\/(icon|module|displayField)$/.exec(path);
  return option ? `entity.${option[1]}` : 'entity.general';
}

/** The messages at one control: the manager's own when it has any (they come first and are clearer), else the engine's. */
export function messagesAt(control: string, own: readonly ControlProblem[], engine: readonly ControlProblem[]): string[] {
  const mine = own.filter((p) => p.control === control).map((p) => p.message);
  return mine.length ? mine : [...new Set(engine.filter((p) => p.control === control).map((p) => p.message))];
}
