import { readFile, storeFile } from '../../engine/files/files.ts';
import { contentDisposition } from './content-disposition.server.ts';
import { apiError } from './errors.server.ts';
import { endpoint, json, queryParameters, type ApiDeps } from './http.server.ts';

/**
 * `POST /api/v1/files?entity=&field=`: uploads one file for a `file` field, the raw bytes as the
 * body (Content-Type: the file's type; `X-File-Name`: its name, percent-encoded UTF-8), and
 * answers 201 with the reference to put in the field: `{ id, name, size, contentType }`. The
 * body is streamed to disk with a byte counter: 413 `file_too_large` past the field's limit
 * (by Content-Length or by the bytes read), with nothing kept. See engine/files/files.ts.
 */
export const fileUpload = endpoint({
  POST: async ({ request, deps, actor }) => {
    const parameters = queryParameters(request, ['entity', 'field']);
    const entity = parameters.get('entity');
    const field = parameters.get('field');
    if (!entity) throw apiError(400, 'parameter_invalid', { name: 'entity', expectedZh: '实体名', expectedEn: 'an entity name' });
    if (!field) throw apiError(400, 'parameter_invalid', { name: 'field', expectedZh: '字段名', expectedEn: 'a field name' });
    const rawName = request.headers.get('X-File-Name');
    let name: string;
    try {
      name = decodeURIComponent(rawName ?? '');
    } catch {
      name = '';
    }
    if (!name) {
      throw apiError(400, 'parameter_invalid', {
        name: 'X-File-Name', expectedZh: '百分号编码的 UTF-8 文件名', expectedEn: 'the file name, percent-encoded UTF-8',
      });
    }
    const declared = request.headers.get('Content-Length');
    const reference = await storeFile({ db: deps.db, workspace: deps.workspace }, actor, {
      entity, field, name, dataDir: dataDirOf(deps),
      bytes: request.body ?? new Uint8Array(),
      ...(request.headers.get('Content-Type') ? { contentType: request.headers.get('Content-Type')! } : {}),
      ...(declared !== null && /^\d+$/.test(declared) ? { declaredSize: Number(declared) } : {}),
    });
    return json(reference, 201);
  },
});

/**
 * `GET /api/v1/files/:id`: a stored file's bytes, as an attachment under its own name, for
 * someone who may read a record holding it (404 `file_not_found` otherwise).
 */
export const fileDownload = endpoint({
  GET: async ({ params, deps, actor }) => {
    const file = await readFile({ db: deps.db, workspace: deps.workspace }, actor, params.id ?? '', dataDirOf(deps));
    return new Response(file.stream, {
      headers: {
        'Content-Type': file.contentType,
        'Content-Length': String(file.size),
        'Content-Disposition': contentDisposition('attachment', file.name),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      },
    });
  },
});

function dataDirOf(deps: ApiDeps): string {
  if (!deps.dataDir) throw new Error('Forma API: no data directory to keep files in');
  return deps.dataDir;
}

