import { useEffect, useRef, useState } from 'react';
import type { SampleRecord } from './preview.ts';
import { PREVIEW_ACTION } from './use-preview.ts';

/** How long the record search waits for the admin to stop typing. */
const SEARCH_DELAY_MS = 250;

/**
 * The records of an entity the preview can use (the picker's options): the loader's latest
 * records of the template's entity at first, then — as the admin types in the picker's search,
 * or picks another entity for a new template — what `GET /admin/print-preview?entity=…&q=…`
 * finds (the staff lookups' quick search, as the admin may read). An answer overtaken by a newer
 * question is dropped.
 */
export function useSampleRecords(entity: string, initial: { entity: string; records: SampleRecord[] }): {
  records: SampleRecord[];
  query: string;
  setQuery: (query: string) => void;
  searching: boolean;
  failed: boolean;
} {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ key: string; records: SampleRecord[] }>({ key: `${initial.entity}\n`, records: initial.records });
  const [failed, setFailed] = useState(false);
  const asked = useRef(0);
  const key = `${entity}\n${query.trim()}`;

  useEffect(() => {
    if (key === found.key || !entity) return;
    const ask = ++asked.current;
    const timer = setTimeout(async () => {
      try {
        const params = new URLSearchParams({ entity, ...(query.trim() ? { q: query.trim() } : {}) });
        const response = await fetch(`${PREVIEW_ACTION}?${params}`, { headers: { Accept: 'application/json' } });
        if (!response.ok) throw new Error(String(response.status));
        const { records } = (await response.json()) as { records: SampleRecord[] };
        if (ask === asked.current) {
          setFound({ key, records });
          setFailed(false);
        }
      } catch {
        if (ask === asked.current) setFailed(true);
      }
    }, query.trim() ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [key]);

  return { records: found.key.startsWith(`${entity}\n`) ? found.records : [], query, setQuery, searching: key !== found.key && !failed, failed };
}
