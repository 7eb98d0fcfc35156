import { writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { FormaError } from '../../engine/errors.ts';
import { parseJson } from '../../engine/metadata/load-documents.ts';
import { printBatch, printRecord, type PrintProgress } from '../../engine/print/print.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import type { FilterTree } from '../../engine/records/query/index.ts';
import type { Actor } from '../../engine/security/actor.ts';
import { findUserByLogin } from '../../engine/security/users.ts';
import { sortOf } from '../lists/export.server.ts';

/** The options of `forma print` (app/cli/main.ts parses them). */
export interface PrintCommandOptions {
  template?: string;
  entity?: string;
  id?: string;
  filter?: string;
  sort?: string;
  out?: string;
  as?: string;
  'start-position'?: string;
  from?: string;
  to?: string;
}

/**
 * `forma print --template <name> --entity <entity> (--id <id> | --filter <json> [--sort <-a,b>]) --out <file.pdf>
 * [--as <login>] [--start-position N] [--from <date>] [--to <date>]`: prints one record, or
 * every record a filter matches into one PDF (progress on stderr), with its own Chromium, as
 * the user `--as` (default `admin`) — prints obey that user's permissions and are logged as
 * theirs. `--entity` must be the template's (`print_template_entity_mismatch` otherwise).
 * Engine refusals are thrown for main.ts to print as structured errors (exit 1); a missing or
 * contradictory option is a usage error (exit 2).
 *
 * @example await printCommand(ctx, config.dataDir, values, usageError);
 */
export async function printCommand(
  ctx: RecordsContext, dataDir: string, options: PrintCommandOptions, usageError: (message: string) => Error,
): Promise<void> {
  const required = (name: 'template' | 'entity' | 'out') => {
    const value = options[name];
    if (!value) throw usageError(`print: missing --${name}`);
    return value;
  };
  const [template, entity, out] = [required('template'), required('entity'), required('out')];
  if ((options.id === undefined) === (options.filter === undefined)) throw usageError('print: give either --id <id> or --filter <json>');
  if (options.sort !== undefined && options.filter === undefined) throw usageError('print: --sort goes with --filter');
  const startPosition = options['start-position'];
  if (startPosition !== undefined && !/^\d+$/.test(startPosition)) throw usageError(`print: --start-position must be a whole number, got ${startPosition}`);
  const actor = await userActor(ctx, options.as ?? 'admin');
  const common = {
    template, entity, dataDir,
    ...(startPosition !== undefined ? { startPosition: Number(startPosition) } : {}),
    ...(options.from !== undefined || options.to !== undefined
      ? { period: { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) } }
      : {}),
  };
  const renderer = new PdfRenderer();
  try {
    const pdf = options.id !== undefined
      ? await printRecord(ctx, actor, { ...common, renderer, recordId: options.id })
      : await printBatch(ctx, actor, {
        ...common, renderer, filter: filterOption(options.filter!), ...(options.sort !== undefined ? { sort: sortOf(options.sort) } : {}),
        onProgress: progressOnStderr(),
      });
    await writeFile(out, pdf);
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
    const size = `${(pdf.length / 1024).toFixed(0)} KB`;
    process.stdout.write(`wrote ${out}: ${pages} page(s), ${size} / 已写入 ${out}：共 ${pages} 页，${size}\n`);
  } finally {
    await renderer.close();
  }
}

/** The user a print runs as: an active one (`user_unknown`, `user_inactive`). */
async function userActor(ctx: RecordsContext, login: string): Promise<Actor> {
  const user = await findUserByLogin(ctx.db, login);
  if (!user) throw new FormaError('user_unknown', { login });
  if (!user.active) throw new FormaError('user_inactive', { login });
  return { id: user.id, name: user.login, kind: 'user' };
}

/** `--filter` as a filter tree; JSON that does not parse is `query_invalid` with the place of the mistake. */
function filterOption(text: string): FilterTree {
  const parsed = parseJson(text, '--filter');
  if ('problem' in parsed) throw new FormaError('query_invalid', { count: 1 }, [parsed.problem]);
  return parsed.value as FilterTree;
}

/** Writes a batch's progress to stderr, at most twice a second and always its last step. */
function progressOnStderr(): (progress: PrintProgress) => void {
  let shown = 0;
  return ({ stage, done, total }) => {
    const last = total !== undefined && done === total;
    if (!last && Date.now() - shown < 500) return;
    shown = Date.now();
    const of = total !== undefined ? ` / ${total}` : '';
    process.stderr.write(stage === 'read' ? `read ${done}${of} record(s) / 已读取 ${done}${of} 条记录\n` : `rendered ${done}${of} / 已生成 ${done}${of}\n`);
  };
}
