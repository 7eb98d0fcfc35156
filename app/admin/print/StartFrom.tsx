import { Form } from 'react-router';
import { t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';

/** A built-in template a new one can start from, as the admin reads it. */
export interface BuiltInChoice {
  name: string;
  label: string;
  entityLabel: string;
}

/**
 * The choice of the built-in template a new one starts from (从内置模板开始), as a plain GET form
 * that works before the scripts run: on the overview with a 「新建模板」 button; on a new
 * template's page (`restart`) choosing another starts again from it.
 */
export function StartFrom({ builtIns, selected, restart = false, className }: {
  builtIns: BuiltInChoice[];
  selected: string;
  restart?: boolean;
  className?: string;
}) {
  const locale = useLocale();
  return (
    <Form method="get" action="/admin/print-templates/new" className={className}>
      <label>
        <span className="muted">{t(locale, 'apt_from')}</span>{' '}
        <select name="from" defaultValue={selected} onChange={restart ? (e) => e.currentTarget.form?.requestSubmit() : undefined}>
          {builtIns.map((b) => <option key={b.name} value={b.name}>{b.label}（{b.entityLabel}）</option>)}
        </select>
      </label>
      {restart
        ? <noscript><button type="submit">{t(locale, 'apt_start_again')}</button></noscript>
        : <button type="submit" className="primary">{t(locale, 'apt_new')}</button>}
    </Form>
  );
}
