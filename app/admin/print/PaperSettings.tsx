import { t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import { Field, type ProblemsAt } from './controls.tsx';
import { MARGIN_SIDES, PAPER_CHOICES, type PaperChoice, type PaperSizes, type TemplateDraft } from './draft.ts';

/**
 * The page of a print template (纸张设置): paper — named or custom in millimetres —
 * orientation, margins, page numbers, and for label sheets the grid (rows, columns, gaps, start
 * position). Values stay as typed; what is wrong shows at its control.
 */
export function PaperSettings({ draft, set, papers, problemsAt }: {
  draft: TemplateDraft;
  set: (changes: Partial<TemplateDraft>) => void;
  papers: PaperSizes;
  problemsAt: ProblemsAt;
}) {
  const locale = useLocale();
  const invalid = (place: Parameters<ProblemsAt>[0]) => (problemsAt(place).length ? true : undefined);
  const mm = (place: 'width' | 'height' | 'gapX' | 'gapY', label: string) => (
    <Field place={place} label={label} problemsAt={problemsAt}>
      <input name={place} inputMode="decimal" className="apt-number" value={draft[place]} onChange={(e) => set({ [place]: e.target.value })} aria-invalid={invalid(place)} />
    </Field>
  );
  const whole = (place: 'rows' | 'columns' | 'startPosition', label: string, hint?: string) => (
    <Field place={place} label={label} hint={hint} problemsAt={problemsAt}>
      <input name={place} inputMode="numeric" className="apt-number" value={draft[place]} onChange={(e) => set({ [place]: e.target.value })} aria-invalid={invalid(place)} />
    </Field>
  );
  return (
    <section className="card apt-card apt-paper" aria-labelledby="apt-paper-title">
      <h2 id="apt-paper-title">{t(locale, 'apt_paper_title')}</h2>
      <div className="apt-row">
        <Field place="paper" label={t(locale, 'apt_paper')} problemsAt={problemsAt}>
          <select name="paper" value={draft.paper} onChange={(e) => set({ paper: e.target.value as PaperChoice })} aria-invalid={invalid('paper')}>
            {PAPER_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'custom' ? t(locale, 'apt_paper_custom') : t(locale, 'apt_paper_named', { name: choice, width: papers[choice].width, height: papers[choice].height })}
              </option>
            ))}
          </select>
        </Field>
        {draft.paper === 'custom' ? (
          <>
            {mm('width', t(locale, 'apt_width'))}
            {mm('height', t(locale, 'apt_height'))}
          </>
        ) : null}
        <Field place="orientation" label={t(locale, 'apt_orientation')} problemsAt={problemsAt}>
          <select name="orientation" value={draft.orientation} onChange={(e) => set({ orientation: e.target.value as TemplateDraft['orientation'] })}>
            <option value="portrait">{t(locale, 'apt_portrait')}</option>
            <option value="landscape">{t(locale, 'apt_landscape')}</option>
          </select>
        </Field>
      </div>
      <fieldset className="group-box apt-margins" data-place="margins">
        <legend>{t(locale, 'apt_margins')}</legend>
        <div className="apt-row">
          {MARGIN_SIDES.map((side) => (
            <Field key={side} place={`margin_${side}`} label={t(locale, `apt_margin_${side}`)} problemsAt={problemsAt}>
              <input
                name={`margin_${side}`} inputMode="decimal" className="apt-number" value={draft.margins[side]}
                onChange={(e) => set({ margins: { ...draft.margins, [side]: e.target.value } })} aria-invalid={invalid(`margin_${side}`) ?? invalid('margins')}
              />
            </Field>
          ))}
        </div>
        {problemsAt('margins').map((message) => <p key={message} className="field-error" role="alert">{message}</p>)}
      </fieldset>
      <label className="apt-check">
        <input type="checkbox" name="pageNumbers" checked={draft.pageNumbers} onChange={(e) => set({ pageNumbers: e.target.checked })} />
        {t(locale, 'apt_page_numbers')}
      </label>
      <label className="apt-check">
        <input type="checkbox" name="labels" checked={draft.labels} onChange={(e) => set({ labels: e.target.checked })} />
        {t(locale, 'apt_labels')}
      </label>
      {draft.labels ? (
        <div className="apt-row apt-grid">
          {whole('rows', t(locale, 'apt_rows'))}
          {whole('columns', t(locale, 'apt_columns'))}
          {mm('gapX', t(locale, 'apt_gap_x'))}
          {mm('gapY', t(locale, 'apt_gap_y'))}
          {whole('startPosition', t(locale, 'apt_start_position'), t(locale, 'apt_start_position_hint'))}
        </div>
      ) : null}
      <p className="muted small">{t(locale, draft.labels ? 'apt_labels_hint' : 'apt_paper_hint')}</p>
    </section>
  );
}
