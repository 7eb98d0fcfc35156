import { useEffect, useMemo, useState } from 'react';
import { t, type TextKey } from '../../text/index.ts';
import { conditionSchema, operatorsOf, simpleCondition, type ConditionOperator, type SimpleCondition } from './conditions.ts';
import { useDesigner } from './designer.ts';
import { updatePlacement, type Condition, type FieldInfo, type Placement } from './draft.ts';
import { Problems } from './FieldRow.tsx';
import { control, type ConditionKind } from './problems.ts';

type Mode = 'none' | 'simple' | 'advanced';

const OPERATOR_TEXT: Record<ConditionOperator, TextKey> = { checked: 'al_op_checked', oneOf: 'al_op_oneOf', filled: 'al_op_filled' };

/** A complete simple condition on `field`: its first operator, and for a choice its first option. */
function startOn(field: FieldInfo): SimpleCondition {
  const operator = operatorsOf(field)[0]!;
  return operator === 'oneOf' ? { field: field.name, operator, values: field.options?.slice(0, 1).map((o) => o.value) ?? [] } : { field: field.name, operator };
}

/**
 * One condition of a placed field (`visibleWhen` or `requiredWhen`): none, a simple condition
 * picked from lists (a yes/no field is ticked, a choice is one of some values, a field is filled
 * in), or any JSON Schema typed as JSON ("advanced"). A simple condition is always complete (a
 * choice keeps at least one value); JSON that does not parse stays in the box with its error
 * beside it and keeps the designer from applying until it is corrected or dropped.
 */
export function ConditionEditor({ placement, kind }: { placement: Placement; kind: ConditionKind }) {
  const { fields, edit, locale, setPending } = useDesigner();
  const value = placement[kind];
  const candidates = useMemo(
    () => [...fields.values()].filter((f) => !f.archived && f.name !== placement.field && f.type !== 'lines'),
    [fields, placement.field],
  );
  const byName = useMemo(() => new Map(candidates.map((f) => [f.name, f])), [candidates]);
  const simple = value ? simpleCondition(value, byName) : undefined;
  const [mode, setMode] = useState<Mode>(!value ? 'none' : simple ? 'simple' : 'advanced');
  const [text, setText] = useState(() => (value && !simple ? JSON.stringify(value, null, 2) : ''));
  const [jsonError, setJsonError] = useState<string | undefined>();
  const at = control.condition(placement.id, kind);
  useEffect(() => {
    setPending(at, jsonError);
    return () => setPending(at, undefined);
  }, [at, jsonError, setPending]);

  const set = (condition: Condition | undefined) => edit((d) => updatePlacement(d, placement.id, { [kind]: condition }));
  const choose = (next: Mode) => {
    setMode(next);
    setJsonError(undefined);
    if (next === 'none') set(undefined);
    if (next === 'simple') {
      const first = simple?.field ? byName.get(simple.field) : candidates.find((f) => f.type === 'boolean') ?? candidates.find((f) => f.type === 'select') ?? candidates[0];
      set(first ? conditionSchema(simple ?? startOn(first)) : undefined);
    }
    if (next === 'advanced') {
      setText(JSON.stringify(value ?? {}, null, 2));
      if (!value) set({});
    }
  };
  const typed = (next: string) => {
    setMode('advanced');
    setText(next);
    let parsed: unknown;
    try {
      parsed = JSON.parse(next);
    } catch (error) {
      return setJsonError(t(locale, 'al_err_json', { detail: error instanceof Error ? error.message : String(error) }));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return setJsonError(t(locale, 'al_err_not_object'));
    setJsonError(undefined);
    set(parsed as Condition);
  };

  const kindText = t(locale, kind === 'visibleWhen' ? 'al_visible_when' : 'al_required_when');
  const fieldName = fields.get(placement.field)?.label ?? placement.field;
  const id = `al-${kind}-${placement.id}`;
  // A simple condition that no longer reads as one (its field was archived meanwhile) is shown as JSON.
  const shown: Mode = mode === 'simple' && value && !simple ? 'advanced' : mode;
  const current = shown === 'simple' ? simple : undefined;
  const info = current ? byName.get(current.field) : undefined;
  return (
    <fieldset className={`group-box al-condition${shown !== 'none' ? ' active' : ''}`} data-condition={kind}>
      <legend>{kindText}</legend>
      <select id={id} value={shown} aria-label={t(locale, 'al_cond_mode', { field: fieldName, kind: kindText })} onChange={(e) => choose(e.target.value as Mode)}>
        <option value="none">{t(locale, kind === 'visibleWhen' ? 'al_cond_always' : 'al_cond_not_required')}</option>
        <option value="simple" disabled={!candidates.length}>{t(locale, 'al_cond_simple')}</option>
        <option value="advanced">{t(locale, 'al_cond_advanced')}</option>
      </select>
      {current && info ? (
        <div className="al-condition-simple">
          <select value={current.field} aria-label={t(locale, 'al_cond_field')}
            onChange={(e) => set(conditionSchema(startOn(byName.get(e.target.value)!)))}>
            {candidates.map((f) => <option key={f.name} value={f.name}>{f.label}</option>)}
          </select>
          <select value={current.operator} aria-label={t(locale, 'al_cond_operator')}
            onChange={(e) => {
              const operator = e.target.value as ConditionOperator;
              set(conditionSchema(operator === 'oneOf' ? startOn(info) : { field: info.name, operator }));
            }}>
            {operatorsOf(info).map((op) => <option key={op} value={op}>{t(locale, OPERATOR_TEXT[op])}</option>)}
          </select>
          {current.operator === 'oneOf' ? (
            <span className="al-values" role="group" aria-label={t(locale, 'al_cond_values')}>
              {(info.options ?? []).map((o) => {
                const on = current.values?.includes(o.value) ?? false;
                const values = on ? current.values!.filter((v) => v !== o.value) : [...(current.values ?? []), o.value];
                return (
                  <label key={o.value} className={`chip toggle${on ? ' on' : ''}`}>
                    <input type="checkbox" checked={on} disabled={on && values.length === 0}
                      onChange={() => set(conditionSchema({ ...current, values: (info.options ?? []).map((x) => x.value).filter((v) => values.includes(v)) }))} />
                    {o.label}
                  </label>
                );
              })}
            </span>
          ) : null}
        </div>
      ) : null}
      {shown === 'simple' && !candidates.length ? <p className="muted">{t(locale, 'al_cond_no_fields')}</p> : null}
      {shown === 'advanced' ? (
        <label className="field al-condition-json">
          <span>{t(locale, 'al_cond_json')}</span>
          <textarea rows={5} spellCheck={false} value={mode === 'advanced' ? text : JSON.stringify(value, null, 2)} onChange={(e) => typed(e.target.value)} aria-invalid={jsonError ? true : undefined} />
          <small className="muted">{t(locale, 'al_cond_json_hint')}</small>
        </label>
      ) : null}
      <Problems at={at} />
    </fieldset>
  );
}
