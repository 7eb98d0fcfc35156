import { useRef } from 'react';
import { formulaFunctions } from '../../../engine/formula/expression.ts';
import { label, t, type Locale, type TextKey } from '../../text/index.ts';
import { Control, Messages } from './Control.tsx';
import type { DesignerChoices } from './choices.ts';
import { defaultKind, mayBeRequired, type FieldDraft, type FieldTypeInfo } from './field-draft.ts';
import { suggestMachineName } from './names.ts';
import { OptionsEditor } from './OptionsEditor.tsx';

/** The field being edited, as the designer holds it. */
export interface FieldEditing {
  draft: FieldDraft;
  /** The machine name may still change (the field is not applied yet). */
  isNew: boolean;
  /** The admin typed the machine name: the English label no longer suggests it. */
  nameTyped: boolean;
}

/** What the formula box says about the last check of the draft. */
export type FormulaState = 'checking' | 'checked';

/**
 * The side panel editing one field: labels, machine name (suggested from the English label
 * while the field is new), type, help, required / unique / searchable / filterable, default,
 * and the options of its type as the entity meta-schema names them. Every problem shows under
 * its control: `messagesAt(control)` gives the manager's own and the engine's.
 */
export function FieldEditor({ editing, onChange, info, choices, entityName, formulaFields, otherLabels, formulaState, messagesAt, general, onDone, onCancel, locale }: {
  editing: FieldEditing;
  onChange: (editing: FieldEditing) => void;
  info: FieldTypeInfo | undefined;
  choices: DesignerChoices;
  entityName: string;
  /** The entity's other active fields a formula may use. */
  formulaFields: { name: string; label: string }[];
  /** The labels of the entity's other active fields: a label one of them has too is pointed out (staff could not tell the two apart). */
  otherLabels: { name: string; label: Readonly<Partial<Record<Locale, string>>> }[];
  /** Undefined while the draft cannot be checked yet (a new entity without a usable name). */
  formulaState: FormulaState | undefined;
  messagesAt: (control: string) => string[];
  /** Problems of this field no control edits. */
  general: string[];
  /** Closes the editor into the draft, or shows what is still to correct. */
  onDone: () => void;
  onCancel: () => void;
  locale: Locale;
}) {
  const { draft } = editing;
  const expressionBox = useRef<HTMLTextAreaElement>(null);
  const set = (change: Partial<FieldDraft>) => onChange({ ...editing, draft: { ...draft, ...change } });
  const has = (option: string) => info?.options.includes(option) ?? false;
  const title = editing.isNew && !draft.label[locale].trim()
    ? t(locale, 'ae_field_new_title')
    : t(locale, 'ae_field_edit_title', { label: label(draft.label, locale) || draft.name });

  /** Another field with this label in the language: allowed, but worth a word. */
  const namesake = (lang: Locale) => {
    const text = draft.label[lang].trim();
    return text ? otherLabels.find((other) => other.label[lang]?.trim() === text)?.name : undefined;
  };
  const setLabel = (lang: 'zh-CN' | 'en', text: string) => {
    const next = { ...draft, label: { ...draft.label, [lang]: text } };
    if (lang === 'en' && editing.isNew && !editing.nameTyped) next.name = suggestMachineName(text);
    onChange({ ...editing, draft: next });
  };
  const setType = (type: string) => {
    // A typed default means nothing to another kind of value.
    const keepDefault = defaultKind(type) === defaultKind(draft.type);
    set({ type, ...(keepDefault ? {} : { defaultValue: '', defaultValues: [] }) });
  };
  const insertField = (name: string) => {
    const box = expressionBox.current;
    const at = box ? box.selectionStart : draft.expression.length;
    const end = box ? box.selectionEnd : at;
    set({ expression: `${draft.expression.slice(0, at)}${name}${draft.expression.slice(end)}` });
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(at + name.length, at + name.length);
    });
  };
  const choose = (control: 'target' | 'entity' | 'numbering', labelKey: TextKey, items: { name: string; label: string; note?: string }[]) => (
    <Control control={control} label={t(locale, labelKey)} messages={messagesAt(control)} hint={control === 'entity' ? t(locale, 'ae_lines_entity_hint') : undefined}>
      <select value={draft[control]} onChange={(e) => set({ [control]: e.target.value })} aria-invalid={messagesAt(control).length > 0}>
        <option value="">{t(locale, 'ae_choose')}</option>
        {items.map((item) => <option key={item.name} value={item.name}>{item.label} ({item.note ?? item.name})</option>)}
      </select>
    </Control>
  );
  const activeEntities = choices.entities.filter((e) => !e.archived || e.name === draft[has('target') ? 'target' : 'entity']);

  return (
    <aside className="ae-editor card" role="dialog" aria-labelledby="ae-editor-title" data-field={draft.name}>
      <div className="ae-editor-head">
        <h2 id="ae-editor-title">{title}</h2>
        <button type="button" className="link" onClick={onCancel} aria-label={t(locale, 'ae_close')}>×</button>
      </div>
      {general.length ? (
        <div className="alert ae-general">
          {t(locale, 'ae_editor_problems')}
          <Messages messages={general} />
        </div>
      ) : null}

      <div className="ae-pair">
        {(['zh-CN', 'en'] as const).map((lang) => (
          <Control
            key={lang} control={`label.${lang}`} label={t(locale, lang === 'en' ? 'ae_label_en' : 'ae_label_zh')} messages={messagesAt(`label.${lang}`)}
            hint={namesake(lang) ? <span className="ae-namesake">{t(locale, 'ae_label_namesake', { name: namesake(lang)!, label: draft.label[lang].trim() })}</span> : undefined}
          >
            <input
              type="text" value={draft.label[lang]} maxLength={200} onChange={(e) => setLabel(lang, e.target.value)}
              aria-invalid={messagesAt(`label.${lang}`).length > 0} autoFocus={editing.isNew && lang === 'zh-CN'}
            />
          </Control>
        ))}
      </div>

      <Control
        control="name" label={t(locale, 'ae_field_name')} messages={messagesAt('name')}
        hint={t(locale, editing.isNew ? 'ae_field_name_hint_new' : 'ae_field_name_hint_fixed')}
      >
        <input
          type="text" value={draft.name} maxLength={48} readOnly={!editing.isNew} className="ae-code"
          onChange={(e) => onChange({ ...editing, nameTyped: true, draft: { ...draft, name: e.target.value } })}
          aria-invalid={messagesAt('name').length > 0}
        />
      </Control>

      <Control control="type" label={t(locale, 'ae_field_type')} messages={messagesAt('type')} hint={editing.isNew ? undefined : t(locale, 'ae_field_type_hint')}>
        <select value={draft.type} onChange={(e) => setType(e.target.value)} aria-invalid={messagesAt('type').length > 0}>
          {choices.fieldTypes.map((type) => <option key={type.name} value={type.name}>{label(type.label, locale)}</option>)}
        </select>
      </Control>

      {has('options') ? (
        <fieldset className="group-box ae-fieldset">
          <legend>{t(locale, 'ae_options')}</legend>
          <OptionsEditor options={draft.options} fields={info?.choiceFields ?? []} onChange={(options) => set({ options })} messagesAt={messagesAt} locale={locale} />
        </fieldset>
      ) : null}
      {has('target') ? choose('target', 'ae_target', activeEntities) : null}
      {has('entity') ? choose('entity', 'ae_lines_entity', activeEntities.filter((e) => e.name !== entityName)) : null}
      {has('numbering') ? choose('numbering', 'ae_numbering', choices.numberings.map((n) => ({ name: n.name, label: n.label, note: n.pattern }))) : null}
      {has('expression') ? (
        <>
          <Control
            control="expression" label={t(locale, 'ae_expression')} messages={messagesAt('expression')}
            hint={t(locale, 'ae_expression_hint', { functions: Object.keys(formulaFunctions).join(', ') })}
          >
            <textarea
              ref={expressionBox} rows={3} value={draft.expression} maxLength={2000} className="ae-code" spellCheck={false}
              onChange={(e) => set({ expression: e.target.value })} aria-invalid={messagesAt('expression').length > 0}
            />
          </Control>
          <div className="ae-formula-fields">
            {formulaFields.map((f) => (
              <button key={f.name} type="button" className="chip ae-insert" onClick={() => insertField(f.name)} title={f.label}>{f.name}</button>
            ))}
          </div>
          {formulaState && draft.expression.trim() && !messagesAt('expression').length ? (
            <p className={`ae-formula-state ${formulaState}`} role="status">
              {t(locale, formulaState === 'checking' ? 'ae_expression_checking' : 'ae_expression_ok')}
            </p>
          ) : null}
        </>
      ) : null}
      {has('resultType') ? (
        <Control control="resultType" label={t(locale, 'ae_result_type')} messages={messagesAt('resultType')}>
          <select value={draft.resultType} onChange={(e) => set({ resultType: e.target.value })}>
            {(info?.enums.resultType ?? []).map((type) => {
              const typeLabel = choices.fieldTypes.find((f) => f.name === type)?.label;
              return <option key={type} value={type}>{typeLabel ? label(typeLabel, locale) : type}</option>;
            })}
          </select>
        </Control>
      ) : null}
      {has('scale') && (draft.type !== 'formula' || ['decimal', 'money', 'percent'].includes(draft.resultType)) ? (
        <Control control="scale" label={t(locale, 'ae_scale')} messages={messagesAt('scale')}>
          <input type="text" inputMode="numeric" className="ae-narrow" value={draft.scale} placeholder={t(locale, 'ae_scale_placeholder')} onChange={(e) => set({ scale: e.target.value })} aria-invalid={messagesAt('scale').length > 0} />
        </Control>
      ) : null}
      {has('currency') ? (
        <Control control="currency" label={t(locale, 'ae_currency')} messages={messagesAt('currency')}>
          <input type="text" className="ae-narrow" maxLength={3} value={draft.currency} placeholder={t(locale, 'ae_currency_placeholder')} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} aria-invalid={messagesAt('currency').length > 0} />
        </Control>
      ) : null}
      {has('level') ? (
        <Control control="level" label={t(locale, 'ae_level')} messages={messagesAt('level')}>
          {/* No level set means down to the district (what the staff form does). */}
          <select value={draft.level || 'district'} onChange={(e) => set({ level: e.target.value })}>
            {(info?.enums.level ?? []).map((level) => <option key={level} value={level}>{t(locale, `ae_level_${level}` as TextKey)}</option>)}
          </select>
        </Control>
      ) : null}
      {has('multiple') ? (
        <label className="ae-check"><input type="checkbox" checked={draft.multiple} onChange={(e) => set({ multiple: e.target.checked })} /> {t(locale, 'ae_multiple')}</label>
      ) : null}
      {has('maxSizeMb') ? (
        <Control control="maxSizeMb" label={t(locale, 'ae_max_size')} messages={messagesAt('maxSizeMb')}>
          <input type="text" inputMode="numeric" className="ae-narrow" value={draft.maxSizeMb} onChange={(e) => set({ maxSizeMb: e.target.value })} aria-invalid={messagesAt('maxSizeMb').length > 0} />
        </Control>
      ) : null}
      {info?.defaultMaxLength !== undefined ? (
        <Control control="maxLength" label={t(locale, 'ae_max_length')} messages={messagesAt('maxLength')}>
          <input
            type="text" inputMode="numeric" className="ae-narrow" value={draft.maxLength}
            placeholder={t(locale, 'ae_max_length_placeholder', { count: info.defaultMaxLength })}
            onChange={(e) => set({ maxLength: e.target.value })} aria-invalid={messagesAt('maxLength').length > 0}
          />
        </Control>
      ) : null}

      <DefaultControl draft={draft} set={set} messages={messagesAt('default')} locale={locale} />

      <fieldset className="group-box ae-fieldset ae-flags">
        <legend>{t(locale, 'ae_flags')}</legend>
        {mayBeRequired(draft.type) ? <Flag name="required" draft={draft} set={set} messages={messagesAt('required')} text={t(locale, 'ae_required')} /> : null}
        {info?.unique ? <Flag name="unique" draft={draft} set={set} messages={messagesAt('unique')} text={t(locale, 'ae_unique')} /> : null}
        {info?.searchable ? <Flag name="searchable" draft={draft} set={set} messages={messagesAt('searchable')} text={t(locale, 'ae_searchable')} /> : null}
        {info?.filterable ? <Flag name="filterable" draft={draft} set={set} messages={messagesAt('filterable')} text={t(locale, 'ae_filterable')} /> : null}
      </fieldset>

      <div className="ae-pair">
        {(['zh-CN', 'en'] as const).map((lang) => (
          <Control key={lang} control={`help.${lang}`} label={t(locale, lang === 'en' ? 'ae_help_en' : 'ae_help_zh')} messages={lang === 'zh-CN' ? messagesAt('help') : []}>
            <textarea rows={2} maxLength={2000} value={draft.help[lang]} onChange={(e) => set({ help: { ...draft.help, [lang]: e.target.value } })} />
          </Control>
        ))}
      </div>

      <div className="ae-editor-actions">
        <button type="button" onClick={onCancel}>{t(locale, editing.isNew ? 'ae_purge_cancel' : 'ae_discard_field')}</button>
        <button type="button" className="primary" onClick={onDone}>{t(locale, 'ae_done')}</button>
      </div>
    </aside>
  );
}

function Flag({ name, draft, set, messages, text }: {
  name: 'required' | 'unique' | 'searchable' | 'filterable';
  draft: FieldDraft;
  set: (change: Partial<FieldDraft>) => void;
  messages: string[];
  text: string;
}) {
  return (
    <div data-control={name} className={messages.length ? 'has-error' : undefined}>
      <label className="ae-check">
        <input type="checkbox" name={name} checked={draft[name]} onChange={(e) => set({ [name]: e.target.checked })} /> {text}
      </label>
      <Messages messages={messages} />
    </div>
  );
}

/** The default value, asked for the way the type holds it (text, number, date, yes/no, one or several of the options). */
function DefaultControl({ draft, set, messages, locale }: {
  draft: FieldDraft;
  set: (change: Partial<FieldDraft>) => void;
  messages: string[];
  locale: Locale;
}) {
  const kind = defaultKind(draft.type);
  if (!kind) return null;
  const choices = draft.options.filter((o) => o.value.trim());
  const invalid = messages.length > 0;
  let input;
  switch (kind) {
    case 'boolean':
    case 'choice':
      input = (
        <select value={draft.defaultValue} onChange={(e) => set({ defaultValue: e.target.value })} aria-invalid={invalid}>
          <option value="">{t(locale, 'ae_default_none')}</option>
          {kind === 'boolean'
            ? (['true', 'false'] as const).map((v) => <option key={v} value={v}>{t(locale, v === 'true' ? 'ae_yes' : 'ae_no')}</option>)
            : choices.map((o) => <option key={o.value} value={o.value}>{label(o.label, locale) || o.value}</option>)}
        </select>
      );
      break;
    case 'choices':
      return (
        <fieldset className={`group-box ae-fieldset${invalid ? ' has-error' : ''}`} data-control="default">
          <legend>{t(locale, 'ae_default')}</legend>
          {choices.map((o) => (
            <label key={o.value} className="ae-check">
              <input
                type="checkbox" checked={draft.defaultValues.includes(o.value)}
                onChange={(e) => set({ defaultValues: e.target.checked ? [...draft.defaultValues, o.value] : draft.defaultValues.filter((v) => v !== o.value) })}
              /> {label(o.label, locale) || o.value}
            </label>
          ))}
          <Messages messages={messages} />
        </fieldset>
      );
    case 'date':
      input = <input type="date" value={draft.defaultValue} onChange={(e) => set({ defaultValue: e.target.value })} aria-invalid={invalid} />;
      break;
    default:
      input = (
        <input
          type="text" inputMode={kind === 'text' ? undefined : 'decimal'} value={draft.defaultValue}
          onChange={(e) => set({ defaultValue: e.target.value })} aria-invalid={invalid} placeholder={t(locale, 'ae_default_none')}
        />
      );
  }
  return <Control control="default" label={t(locale, 'ae_default')} messages={messages}>{input}</Control>;
}
