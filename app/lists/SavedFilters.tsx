import { Link, useFetcher } from 'react-router';
import { t, type Locale } from '../text/index.ts';
import { filterParam, type FilterTree } from './filter.ts';
import { Menu } from './Menu.tsx';

interface Saved {
  name: string;
  filter: FilterTree;
}

/**
 * The person's saved filters (我的筛选): pick one to filter the list with it (its link is the
 * list's address with that filter, like a bookmark), delete one, or save the filter in use under
 * a name. Kept in their preferences on the server.
 */
export function SavedFilters({ saved, current, hrefFor, csrf, locale }: {
  saved: Saved[]; current: FilterTree | undefined; hrefFor(filter: FilterTree): string; csrf: string; locale: Locale;
}) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; name?: string; message?: string }>();
  const currentJson = current ? filterParam(current) : undefined;
  const pendingDelete = fetcher.formData?.get('intent') === 'delete_filter' ? fetcher.formData.get('name') : undefined;
  const answer = fetcher.state === 'idle' ? fetcher.data : undefined;
  return (
    <Menu label={t(locale, 'list_saved_filters')} testId="saved-filters">
      {saved.length ? (
        <ul className="saved-list">
          {saved.filter((s) => s.name !== pendingDelete).map((s) => {
            const active = currentJson === filterParam(s.filter);
            return (
              <li key={s.name} className={active ? 'active' : undefined}>
                <Link to={hrefFor(s.filter)} aria-current={active ? 'true' : undefined}>{s.name}</Link>
                <fetcher.Form method="post">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="intent" value="delete_filter" />
                  <input type="hidden" name="name" value={s.name} />
                  <button type="submit" className="link remove" title={t(locale, 'list_delete_saved', { name: s.name })} aria-label={t(locale, 'list_delete_saved', { name: s.name })}>×</button>
                </fetcher.Form>
              </li>
            );
          })}
        </ul>
      ) : <p className="muted small">{t(locale, 'list_saved_none')}</p>}
      {currentJson ? (
        <fetcher.Form method="post" className="save-filter">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="intent" value="save_filter" />
          <input type="hidden" name="filter" value={currentJson} />
          <label className="field">
            <span>{t(locale, 'list_save_filter')}</span>
            <input name="name" required maxLength={60} placeholder={t(locale, 'list_filter_name')} />
          </label>
          <button type="submit" disabled={fetcher.state !== 'idle'}>{t(locale, 'list_save')}</button>
          <p className="muted small">{t(locale, 'list_save_filter_hint')}</p>
        </fetcher.Form>
      ) : null}
      {answer?.ok === false ? <p className="field-error" role="alert">{answer.message}</p> : null}
      {answer?.ok && answer.intent === 'save_filter' ? <p className="notice small" role="status">{t(locale, 'list_saved', { name: answer.name ?? '' })}</p> : null}
    </Menu>
  );
}
