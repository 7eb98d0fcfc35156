import { useEffect, useState } from 'react';
import { t } from '../text/index.ts';
import type { InputProps } from './inputs.tsx';
import type { FormContext, RegionPlace } from './types.ts';

const depth = { province: 1, city: 2, district: 3 } as const;

/** The places one step below `parent` ('' for the provinces): from the form's cache, else the regions API. */
async function placesBelow(ctx: FormContext, parent: string): Promise<RegionPlace[]> {
  const known = ctx.regions.get(parent);
  if (known) return known;
  const response = await fetch(`/api/v1/regions${parent ? `?parent=${encodeURIComponent(parent)}` : ''}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(String(response.status));
  const { places } = (await response.json()) as { places: RegionPlace[] };
  remember(ctx, parent, places);
  return places;
}

/** Keeps places in the form's cache: the lists by parent, each place's name and path. */
export function remember(ctx: FormContext, parent: string, places: RegionPlace[]): void {
  ctx.regions.set(parent, places);
  const above = parent ? ctx.regionPaths.get(parent) ?? [parent] : [];
  for (const place of places) {
    ctx.labels.set(`region:${place.code}`, place.name);
    ctx.regionPaths.set(place.code, [...above, place.code]);
  }
}

/** A region code in words, from the province down (上海市 徐汇区: a 直辖市's name once). */
export function regionText(code: string, ctx: FormContext): string {
  const path = ctx.regionPaths.get(code) ?? [code];
  return path
    .map((c) => ctx.labels.get(`region:${c}`) ?? c)
    .filter((name, i, names) => name !== names[i - 1])
    .join(' ');
}

/**
 * The province → city → district cascade of a region field, as deep as the field's level: each
 * list is asked for when its parent is chosen (`GET /api/v1/regions?parent=`), so the 3,000-place
 * table stays on the server. The field's value is the deepest place chosen; a place with nothing
 * below it (东莞市, 香港) ends the cascade early.
 */
export function RegionInput({ id, spec, value, onChange, ctx, invalid }: InputProps) {
  const levels = depth[spec.level ?? 'district'];
  const code = typeof value === 'string' ? value : '';
  const path = code ? ctx.regionPaths.get(code) ?? [code] : [];
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState(false);

  // Load every list the cascade shows: the provinces and the children of each chosen place.
  useEffect(() => {
    let live = true;
    const parents = ['', ...path].slice(0, levels);
    Promise.all(parents.map((p) => placesBelow(ctx, p)))
      .then(() => live && setLoaded((n) => n + 1))
      .catch(() => live && setFailed(true));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code, levels]);

  const names = [t(ctx.locale, 'form_region_province'), t(ctx.locale, 'form_region_city'), t(ctx.locale, 'form_region_district')];
  const selects = [];
  for (let level = 0; level < levels; level++) {
    const parent = level === 0 ? '' : path[level - 1];
    if (parent === undefined) {
      // Not reachable yet: shown empty, so the cascade's depth is clear from the start.
      selects.push(<select key={level} disabled aria-label={names[level]}><option>{names[level]}…</option></select>);
      continue;
    }
    const options = ctx.regions.get(parent);
    if (level > 0 && options && options.length === 0) break; // nothing below: the pick is complete
    selects.push(
      <select key={level} id={level === 0 ? id : `${id}-${level}`} value={path[level] ?? ''} aria-label={names[level]} aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value || (level > 0 ? path[level - 1] : undefined))}>
        <option value="">{options ? `${names[level]}…` : t(ctx.locale, 'form_loading')}</option>
        {(options ?? []).map((place) => <option key={place.code} value={place.code}>{place.name}</option>)}
      </select>,
    );
  }
  return (
    <div className="region" role="group">
      {selects}
      {failed ? <span className="field-error">{t(ctx.locale, 'form_region_failed')}</span> : null}
    </div>
  );
}
