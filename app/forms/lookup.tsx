import { useEffect, useId, useRef, useState } from 'react';
import { t } from '../text/index.ts';
import type { InputProps } from './inputs.tsx';

interface Hit {
  id: string;
  label: string | null;
}

/**
 * A lookup: shows the name of the record it points to (never its id) and finds another by
 * typing part of its name — the entity's quick search (`GET /api/v1/records/:target/search`),
 * asked as you type (debounced; an answer arriving after a newer question is dropped). Arrow
 * keys move through the hits, Enter picks, Escape gives up; the × clears the field.
 */
export function LookupInput({ id, spec, value, onChange, invalid, ctx, ariaLabel, compact }: InputProps) {
  const target = spec.target!;
  const current = typeof value === 'string' && value ? value : undefined;
  const name = current ? ctx.labels.get(`${target}:${current}`) ?? t(ctx.locale, 'form_lookup_unnamed') : '';
  const [query, setQuery] = useState<string | null>(null); // null: not typing, the name is shown
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [state, setState] = useState<'idle' | 'loading' | 'done' | 'failed'>('idle');
  const asked = useRef(0);
  const listId = useId();
  const open = query !== null && query.trim() !== '';

  useEffect(() => {
    if (query === null || !query.trim()) {
      setHits([]);
      setState('idle');
      return;
    }
    const ask = ++asked.current;
    setState('loading');
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/v1/records/${encodeURIComponent(target)}/search?q=${encodeURIComponent(query.trim())}&limit=8`, {
          headers: { Accept: 'application/json' },
        });
        if (ask !== asked.current) return;
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { hits: Hit[] };
        setHits(body.hits);
        setActive(0);
        setState('done');
      } catch {
        if (ask === asked.current) setState('failed');
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [query, target]);

  const pick = (hit: Hit) => {
    ctx.labels.set(`${target}:${hit.id}`, hit.label ?? t(ctx.locale, 'form_lookup_unnamed'));
    asked.current++;
    setQuery(null);
    onChange(hit.id);
  };

  return (
    <div className={`lookup${compact ? ' compact' : ''}`}>
      <div className={`lookup-box${invalid ? ' invalid' : ''}`}>
        <input id={id} type="text" role="combobox" aria-expanded={open} aria-controls={listId} aria-autocomplete="list" aria-label={ariaLabel}
          aria-invalid={invalid || undefined} autoComplete="off"
          value={query ?? name}
          title={query === null && name ? name : undefined}
          placeholder={compact ? '' : t(ctx.locale, 'form_lookup_placeholder')}
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => setQuery(e.target.value)}
          onBlur={() => setTimeout(() => setQuery(null), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery(null);
            if (!open || !hits.length) return;
            if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => (i + 1) % hits.length); }
            if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => (i - 1 + hits.length) % hits.length); }
            if (e.key === 'Enter') { e.preventDefault(); pick(hits[active]!); }
          }} />
        {current && query === null ? (
          <>
            {!compact ? <a className="lookup-open" href={`/r/${target}/${current}`} target="_blank" rel="noreferrer" title={t(ctx.locale, 'form_lookup_open')}>↗</a> : null}
            <button type="button" className="lookup-clear" aria-label={t(ctx.locale, 'form_clear')} onClick={() => onChange(undefined)}>×</button>
          </>
        ) : null}
      </div>
      {open ? (
        <ul id={listId} role="listbox" className="lookup-hits">
          {hits.map((hit, i) => (
            <li key={hit.id} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined}
              onMouseDown={(e) => { e.preventDefault(); pick(hit); }} onMouseEnter={() => setActive(i)}>
              {hit.label ?? t(ctx.locale, 'form_lookup_unnamed')}
            </li>
          ))}
          {state === 'loading' && !hits.length ? <li className="muted">{t(ctx.locale, 'form_searching')}</li> : null}
          {state === 'done' && !hits.length ? <li className="muted">{t(ctx.locale, 'form_no_hits')}</li> : null}
          {state === 'failed' ? <li className="muted">{t(ctx.locale, 'form_search_failed')}</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
