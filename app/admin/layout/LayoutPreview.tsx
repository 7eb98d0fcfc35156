import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IChangeEvent } from '@rjsf/core';
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import { calendarDate } from '../../../engine/records/context.ts';
import { compileFormulas, recompute } from '../../forms/formulas.ts';
import { layoutSections } from '../../forms/layout.ts';
import { formContextOf, RecordFields, type RecordFormData } from '../../forms/record-form.tsx';
import { formUiSchema } from '../../forms/schema.ts';
import type { FormValues } from '../../forms/types.ts';
import { t, type Locale } from '../../text/index.ts';

/**
 * The live preview: the real staff form (`RecordFields`, the record form's own rendering) laid
 * out by the DRAFT layout, on a sample record the admin can try things on — tick a checkbox and
 * the fields shown or required under that condition follow, formulas compute as staff type. It
 * saves nothing: there is no save button, submitting does nothing, and its widgets get no CSRF
 * token, so even an attachment upload is refused by the server.
 */
export function LayoutPreview({ data, entityLabel, document, sample, locale, shown }: {
  data: RecordFormData; entityLabel: LocalizedText; document: MetadataDocument; sample: string; locale: Locale;
  /** The section to bring into view (the one the admin works on). */
  shown?: string;
}) {
  const spec = useMemo(
    () => ({ ...data.spec, ...layoutSections(document, { label: entityLabel }, data.spec.fields, locale) }),
    [data.spec, document, entityLabel, locale],
  );
  const uiSchema = useMemo(() => formUiSchema(spec), [spec]);
  // One context for the page, as on the form page: the caches it holds grow as the admin picks.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const ctx = useMemo(() => formContextOf(data, locale, ''), []);
  const live = useMemo(() => compileFormulas(data.spec), [data.spec]);
  const today = useMemo(() => calendarDate(new Date(), data.timeZone), [data.timeZone]);
  const [values, setValues] = useState<FormValues>(() => recompute(live, data.values, today));
  const onChange = useCallback((event: IChangeEvent<FormValues>) => setValues(recompute(live, event.formData ?? {}, today)), [live, today]);
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    const section = shown ? box.current?.querySelector<HTMLElement>(`section[data-section="${CSS.escape(shown)}"]`) : null;
    if (!box.current || !section?.offsetHeight) return;
    // Within the preview's own scroll box only: the page stays where the admin is.
    const top = section.getBoundingClientRect().top - box.current.getBoundingClientRect().top + box.current.scrollTop;
    box.current.scrollTo({ top: Math.max(0, top - 12), behavior: 'smooth' });
  }, [shown, spec]);
  return (
    <aside ref={box} className="al-preview card" aria-labelledby="al-preview-title">
      <h2 id="al-preview-title">{t(locale, 'al_preview')}</h2>
      <p className="muted">{sample ? t(locale, 'al_preview_sample', { record: sample }) : t(locale, 'al_preview_new')}</p>
      <p className="muted al-hint">{t(locale, 'al_preview_note')}</p>
      <div className="al-preview-form">
        <RecordFields spec={spec} schema={data.schema} uiSchema={uiSchema} values={values} ctx={ctx} onChange={onChange} />
      </div>
    </aside>
  );
}
