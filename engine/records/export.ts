import { cachedModel } from '../metadata/model-cache.ts';
import { accessOf, requireRight } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { logEvent } from '../security/system-log.ts';
import type { RecordsContext } from './context.ts';
import { runQuery, type FilterTree, type SortKey } from './query/index.ts';

/** What to export: the records a filter matches, in a sort, with these of the entity's own fields. */
export interface ExportQuery {
  filter?: FilterTree;
  sort?: SortKey[];
  fields?: string[];
}

/** An export under way: its pages, read one after another, each one query. */
export interface RecordExport {
  /** Pages of records (as `runQuery` returns them, with `_labels`), until every matching record came. */
  pages: AsyncGenerator<Record<string, unknown>[], void, undefined>;
}

/** Records per page: the most one query returns. A page is all an export holds at a time. */
const EXPORT_PAGE = 200;

/**
 * Exports the records of an entity a query matches (导出), for the `export` right: checks the
 * right and the query (both refused before anything is sent: `permission_denied`,
 * `query_invalid`), then reads the matching records page by page through cursors — each page is
 * one index walk, however deep, and only one page is in memory at a time, so a million records
 * export at the speed the client takes them. The actor's record scope and hidden fields hold as
 * in their list. When the last page has been taken (or the export stops early: a client that
 * disconnected), the system log gets one `export` row with the count, the format and whether it
 * was complete.
 *
 * @example
 *   const { pages } = await exportRecords(ctx, actor, 'customer', { filter, sort }, { format: 'csv' });
 *   for await (const records of pages) write(records);
 */
export async function exportRecords(
  ctx: RecordsContext, actor: Actor, entity: string, query: ExportQuery,
  info: { format: string; address?: string },
): Promise<RecordExport> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, 'export');
  const ask = (after?: string) => runQuery(ctx, actor, entity, {
    ...(query.filter !== undefined ? { filter: query.filter } : {}),
    ...(query.sort !== undefined ? { sort: query.sort } : {}),
    ...(query.fields !== undefined ? { fields: query.fields } : {}),
    page: { size: EXPORT_PAGE, ...(after ? { after } : {}) },
  });
  // The first page now: a bad query is refused before the caller starts answering.
  const first = await ask();

  async function* pages(): AsyncGenerator<Record<string, unknown>[], void, undefined> {
    let count = 0;
    let complete = false;
    try {
      let page = first;
      for (;;) {
        count += page.records.length;
        if (page.records.length) yield page.records;
        if (!page.next) break;
        page = await ask(page.next);
      }
      complete = true;
    } finally {
      await logEvent(ctx.db, {
        workspace: ctx.workspace, actor, action: 'export', entity, ...(info.address ? { address: info.address } : {}),
        outcome: complete ? 'success' : 'failure',
        details: { format: info.format, count, complete, ...(query.filter !== undefined ? { filter: query.filter } : {}) },
      }).catch((error: unknown) => console.error('Forma: the export could not be logged', error));
    }
  }
  return { pages: pages() };
}
