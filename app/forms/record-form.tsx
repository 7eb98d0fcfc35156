import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLeaveGuard } from '../use-leave-guard.ts';
import { Link, useNavigate } from 'react-router';
import Form, { type IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { calendarDate } from '../../engine/records/context.ts';
import { t, type Locale } from '../text/index.ts';
import { callApi, type ApiFailure } from './api.ts';
import { compileFormulas, recompute } from './formulas.ts';
import { readOnlyText } from './inputs.tsx';
import { missingRequired, withRequiredWhen } from './layout.ts';
import { remember } from './region.tsx';
import { fields, templates, widgets } from './theme.tsx';
import type { FieldSpec, FormContext, FormSpec, FormValues, RegionPlace } from './types.ts';
import { changesOf, rebase, createPayload, initialValues, isEmpty, problemsToErrors, withoutErrorsOf } from './values.ts';

/** What the form page's loader gives the form. */
export interface RecordFormData {
  entity: string;
  id?: string;
  version?: number;
  spec: FormSpec;
  schema: RJSFSchema;
  uiSchema: UiSchema;
  values: FormValues;
  labels: [string, string][];
  users: [string, string][];
  regions: { parent: string; places: RegionPlace[] }[];
  me: { id: string; name: string };
  members: { id: string; name: string }[];
  timeZone: string;
}

interface RecordChange {
  operation: string;
  at: string;
  actor: { id: string; name: string };
  version: number;
  changes: Record<string, [unknown, unknown]>;
}

interface Conflict {
  read: number;
  theirs: FormValues & { version: number; _labels?: Record<string, string | null> };
  entries: { who: string; at: string; fields: { label: string; value: string; mineToo: boolean }[] }[];
  /** The form when the conflict came: the version it read and what was typed. */
  base: FormValues;
  values: FormValues;
}

interface SimilarHit {
  id: string;
  label: string | null;
}

const FORM_ID = 'record-form';

/**
 * A record's form (new or existing): rjsf with Forma's theme, formulas recomputed as you type,
 * saved through the REST API — a new record with POST, then its page; an existing one with
 * PATCH of the changed fields at the version read. The server's problems appear beside their
 * fields and cells; nothing typed is lost on any failure. A stale version (someone saved in
 * between) opens the conflict dialog: who changed what, then "reload" or "keep mine".
 * On a new record, records like the one being typed are shown while typing (查找相似).
 */
export function RecordForm({ data, locale, csrfToken }: { data: RecordFormData; locale: Locale; csrfToken: string }) {
  const navigate = useNavigate();
  const { spec } = data;
  const isNew = data.id === undefined;
  // One context per page: the caches it holds grow as people pick.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const ctx = useMemo(() => formContextOf(data, locale, csrfToken), []);
  const live = useMemo(() => compileFormulas(spec), [spec]);
  const today = useMemo(() => calendarDate(new Date(), data.timeZone), [data.timeZone]);
  const [base, setBase] = useState<FormValues>(() => data.values);
  const [values, setValuesState] = useState<FormValues>(() => recompute(live, data.values, today));
  // The values as last set, for the change handler (which compares them with the next ones).
  const current = useRef(values);
  const setValues = (next: FormValues) => {
    current.current = next;
    setValuesState(next);
  };
  const [version, setVersion] = useState(data.version);
  const [formKey, setFormKey] = useState(0);
  const [errors, setErrors] = useState<ErrorSchema>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | undefined>();
  // Marks the page as interactive (scripts loaded): end-to-end tests wait for it before typing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const dirty = useMemo(() => Object.keys(changesOf(spec, base, values)).length > 0, [spec, base, values]);
  // Leaving with unsaved changes asks first; `leaving` is set right before a save moves the page on.
  const leaving = useLeaveGuard(dirty);

  const onChange = useCallback((event: IChangeEvent<FormValues>) => {
    const previous = current.current;
    const next = recompute(live, event.formData ?? {}, today);
    setErrors((shown) => withoutErrorsOf(shown, previous, next));
    current.current = next;
    setValuesState(next);
  }, [live, today]);


  const failed = (error: ApiFailure, status: number) => {
    const { errorSchema, general: rest } = problemsToErrors(error.problems ?? [], spec, locale);
    setErrors(errorSchema);
    const headline = status === 0 ? t(locale, 'form_network_error') : error.message?.[locale] ?? t(locale, 'form_save_failed', { status });
    setGeneral([headline, ...rest]);
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  /** Fields the layout's `requiredWhen` makes required and that are empty: marked at each field and named above the form. */
  const refuseMissing = (missing: string[]) => {
    setErrors(Object.fromEntries(missing.map((name) => [name, { __errors: [t(locale, 'al_form_required')] }])) as ErrorSchema);
    setGeneral([t(locale, 'al_form_missing', { fields: missing.map((name) => spec.fields[name]!.label).join('、') })]);
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  const save = async (state: { base: FormValues; values: FormValues; version?: number } = { base, values, version }) => {
    const missing = missingRequired(spec.sections, spec.fields, state.values, (condition, record) => validator.isValid(condition, record, data.schema));
    if (missing.length) return refuseMissing(missing);
    setSaving(true);
    setGeneral([]);
    try {
      if (isNew) {
        const result = await callApi<{ id: string }>('POST', `/api/v1/records/${encodeURIComponent(data.entity)}`, csrfToken, createPayload(spec, state.values));
        if (!result.ok) return failed(result.error, result.status);
        leaving.current = true;
        navigate(`/r/${data.entity}/${result.body.id}`);
        return;
      }
      const changes = changesOf(spec, state.base, state.values);
      if (!Object.keys(changes).length) {
        leaving.current = true;
        navigate(`/r/${data.entity}/${data.id}`);
        return;
      }
      const url = `/api/v1/records/${encodeURIComponent(data.entity)}/${data.id}`;
      const result = await callApi<{ id: string }>('PATCH', url, csrfToken, { ...changes, version: state.version });
      if (result.ok) {
        leaving.current = true;
        navigate(`/r/${data.entity}/${data.id}`);
        return;
      }
      if (result.error.code === 'record_conflict') return await openConflict(state, changes);
      failed(result.error, result.status);
    } finally {
      setSaving(false);
    }
  };

  /** What changed since the version this form read: the record now, and its history since. */
  const openConflict = async (state: { base: FormValues; values: FormValues; version?: number }, mine: FormValues) => {
    const url = `/api/v1/records/${encodeURIComponent(data.entity)}/${data.id}`;
    const [theirs, history] = await Promise.all([
      callApi<Conflict['theirs']>('GET', url, csrfToken),
      callApi<{ history: RecordChange[] }>('GET', `${url}/history`, csrfToken),
    ]);
    if (!theirs.ok) return failed(theirs.error, theirs.status);
    for (const [field, name] of Object.entries(theirs.body._labels ?? {})) {
      const target = spec.fields[field]?.target;
      if (target && name && typeof theirs.body[field] === 'string') ctx.labels.set(`${target}:${theirs.body[field] as string}`, name);
    }
    const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: data.timeZone });
    const entries = (history.ok ? history.body.history : [])
      .filter((change) => change.version > (state.version ?? 0))
      .map((change) => ({
        who: change.actor.name,
        at: when.format(new Date(change.at)),
        fields: Object.entries(change.changes).flatMap(([field, [before, after]]) => {
          const f = spec.fields[field];
          if (!f) return [];
          return [{ label: f.label, value: describeChange(f, before, after, ctx) || '—', mineToo: field in mine }];
        }),
      }));
    setConflict({ read: state.version ?? 0, theirs: theirs.body, entries, base: state.base, values: state.values });
  };

  /** Discard mine: the form shows the record as it is now. */
  const reload = () => {
    if (!conflict) return;
    const fresh = initialValues(spec, conflict.theirs);
    setBase(fresh);
    setValues(recompute(live, fresh, today));
    setVersion(conflict.theirs.version);
    setErrors({});
    setGeneral([]);
    setConflict(undefined);
    setFormKey((k) => k + 1);
  };

  /** Keep mine: my changes applied on the record as it is now, saved at its version. Never silent: the dialog listed theirs. */
  const keepMine = async () => {
    if (!conflict) return;
    const fresh = initialValues(spec, conflict.theirs);
    const merged = recompute(live, rebase(spec, conflict.base, conflict.values, fresh), today);
    setBase(fresh);
    setValues(merged);
    setVersion(conflict.theirs.version);
    setErrors({});
    setConflict(undefined);
    setFormKey((k) => k + 1);
    await save({ base: fresh, values: merged, version: conflict.theirs.version });
  };

  const duplicates = useSimilar(isNew, spec, values, data.entity, csrfToken);

  return (
    <div className="record-form-page" data-hydrated={hydrated ? 'true' : 'false'}>
      <div className="page-head form-head">
        <div>
          <Link to={`/r/${data.entity}`} className="muted">{spec.entityLabel}</Link>
          <h1>{isNew ? t(locale, 'new_record', { entity: spec.entityLabel }) : t(locale, 'form_edit_title', { entity: spec.entityLabel })}</h1>
        </div>
        <div className="page-actions">
          <Link className="button" to={isNew ? `/r/${data.entity}` : `/r/${data.entity}/${data.id}`}>{t(locale, 'form_cancel')}</Link>
          <button type="submit" form={FORM_ID} className="primary" disabled={saving}>{saving ? t(locale, 'form_saving') : t(locale, 'form_save')}</button>
        </div>
      </div>
      {general.length ? (
        <div className="alert form-alert" role="alert">
          {general.map((text, i) => <div key={i}>{text}</div>)}
        </div>
      ) : null}
      {duplicates.length ? (
        <div className="notice similar" role="status">
          <strong>{t(locale, 'form_similar_title', { entity: spec.entityLabel })}</strong>
          <ul>
            {duplicates.map((hit) => (
              <li key={hit.id}><a href={`/r/${data.entity}/${hit.id}`} target="_blank" rel="noreferrer">{hit.label ?? t(locale, 'form_lookup_unnamed')}</a></li>
            ))}
          </ul>
        </div>
      ) : null}
      <RecordFields key={formKey} id={FORM_ID} spec={spec} schema={data.schema} uiSchema={data.uiSchema} values={values} ctx={ctx} errors={errors}
        onChange={onChange} onSubmit={() => void save()}>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving}>{saving ? t(locale, 'form_saving') : t(locale, 'form_save')}</button>
          <Link className="button" to={isNew ? `/r/${data.entity}` : `/r/${data.entity}/${data.id}`}>{t(locale, 'form_cancel')}</Link>
          {dirty ? <span className="muted">{t(locale, 'form_unsaved')}</span> : null}
        </div>
      </RecordFields>
      {conflict ? (
        <div className="dialog-backdrop">
          <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby="conflict-title">
            <h2 id="conflict-title">{t(locale, 'form_conflict_title')}</h2>
            <p className="muted">{t(locale, 'form_conflict_versions', { read: conflict.read, current: conflict.theirs.version })}</p>
            {conflict.entries.length ? (
              <ol className="conflict-changes">
                {conflict.entries.map((entry, i) => (
                  <li key={i}>
                    <div><strong>{entry.who}</strong> <span className="muted">{entry.at}</span></div>
                    <ul>
                      {entry.fields.map((f, j) => (
                        <li key={j}>
                          {f.label}：{f.value}
                          {f.mineToo ? <span className="chip warn">{t(locale, 'form_conflict_mine_too')}</span> : null}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            ) : <p>{t(locale, 'form_conflict_no_details')}</p>}
            <p>{t(locale, 'form_conflict_question')}</p>
            <div className="dialog-actions">
              <button type="button" onClick={reload}>{t(locale, 'form_conflict_reload')}</button>
              <button type="button" className="primary" onClick={() => void keepMine()}>{t(locale, 'form_conflict_keep')}</button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * What the widgets of a form page share (rjsf's formContext): the person's language and time
 * zone, the names of records, users and places the loader gave, and where uploads go.
 */
export function formContextOf(data: RecordFormData, locale: Locale, csrfToken: string): FormContext {
  const context: FormContext = {
    locale, timeZone: data.timeZone, labels: new Map(data.labels), regions: new Map(), regionPaths: new Map(),
    users: new Map(data.users), me: data.me, members: data.members, isNew: data.id === undefined, csrfToken, entity: data.entity,
  };
  for (const { parent, places } of data.regions) remember(context, parent, places);
  return context;
}

/**
 * The fields of a record form exactly as staff see them — Forma's rjsf theme over the spec's
 * layout (sections, tabs, spans, `visibleWhen`), the layout's `requiredWhen` as live required
 * marks — without the page around them: the record form and the layout designer's live preview
 * both render this. `children` replace rjsf's submit button (none when absent).
 */
export function RecordFields({ id, spec, schema, uiSchema, values, ctx, errors, onChange, onSubmit, children }: {
  id?: string; spec: FormSpec; schema: RJSFSchema; uiSchema: UiSchema; values: FormValues; ctx: FormContext; errors?: ErrorSchema;
  onChange: (event: IChangeEvent<FormValues>) => void; onSubmit?: () => void; children?: ReactNode;
}) {
  const conditional = useMemo(() => withRequiredWhen(schema, spec.sections, spec.fields), [schema, spec]);
  return (
    <Form
      id={id}
      className="record-form"
      schema={conditional}
      uiSchema={uiSchema}
      formData={values}
      formContext={ctx}
      validator={validator}
      templates={templates}
      widgets={widgets}
      fields={fields}
      extraErrors={errors}
      noValidate
      noHtml5Validate
      showErrorList={false}
      experimental_defaultFormStateBehavior={{ constAsDefaults: 'never', emptyObjectFields: 'skipDefaults', arrayMinItems: { populate: 'never' } }}
      onChange={onChange}
      onSubmit={() => onSubmit?.()}>
      {children}
    </Form>
  );
}

/**
 * 查找相似: while a new record's name or phone (its searchable and phone fields) is typed,
 * existing records like it, asked 400 ms after the typing stops.
 */
function useSimilar(isNew: boolean, spec: FormSpec, values: FormValues, entity: string, csrfToken: string): SimilarHit[] {
  const probe = useMemo(() => {
    if (!isNew || !spec.similarFields.length) return '';
    const typed = Object.fromEntries(spec.similarFields
      .filter((f) => typeof values[f] === 'string' && !isEmpty(values[f]) && (values[f] as string).trim().length >= 2)
      .map((f) => [f, (values[f] as string).trim()]));
    return Object.keys(typed).length ? JSON.stringify(typed) : '';
  }, [isNew, spec, values]);
  const [hits, setHits] = useState<SimilarHit[]>([]);
  useEffect(() => {
    if (!probe) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(async () => {
      const result = await callApi<{ hits: SimilarHit[] }>('POST', `/api/v1/records/${encodeURIComponent(entity)}/similar`, csrfToken, { values: JSON.parse(probe) });
      if (live && result.ok) setHits(result.body.hits);
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [probe, entity, csrfToken]);
  return hits;
}

/**
 * A change of the history in words: the new value, and for line items what happened to the
 * rows (第 2 行 数量：4; 新增第 3 行; 删除 1 行), rows matched by id.
 */
function describeChange(f: FieldSpec, before: unknown, after: unknown, ctx: FormContext): string {
  if (f.type !== 'lines' || !f.lines) return readOnlyText({ ...f, readOnly: true }, after, ctx);
  const was = new Map((Array.isArray(before) ? (before as FormValues[]) : []).map((row) => [row.id, row]));
  const rows = Array.isArray(after) ? (after as FormValues[]) : [];
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const old = was.get(row.id);
    if (!old) {
      parts.push(t(ctx.locale, 'form_conflict_line_added', { n: i + 1 }));
      return;
    }
    for (const c of f.lines!.fields) {
      if (c.type === 'formula' || JSON.stringify(old[c.name] ?? null) === JSON.stringify(row[c.name] ?? null)) continue;
      parts.push(t(ctx.locale, 'form_conflict_line_cell', { n: i + 1, field: c.label, value: readOnlyText({ ...c, readOnly: true }, row[c.name], ctx) || '—' }));
    }
  });
  const removed = [...was.keys()].filter((id) => !rows.some((row) => row.id === id)).length;
  if (removed) parts.push(t(ctx.locale, 'form_conflict_lines_removed', { count: removed }));
  return parts.join('；') || t(ctx.locale, 'form_conflict_lines_reordered');
}
