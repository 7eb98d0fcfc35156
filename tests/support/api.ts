import { matchRoutes } from 'react-router';
import routes from '../../app/routes.ts';
import type { ApiDeps, ApiHandler } from '../../app/api/http.server.ts';
import { fileDownload, fileUpload } from '../../app/api/files.server.ts';
import { metadataApply, metadataDocuments, metadataHistory, metadataPlan, metadataRollback, metadataVersion } from '../../app/api/metadata.server.ts';
import { apiNotFound } from '../../app/api/not-found.server.ts';
import { openApiEndpoint } from '../../app/api/openapi.server.ts';
import { printJob, printJobResult, printJobs, printOne, printTemplates } from '../../app/api/print.server.ts';
import { sessionEndpoint, sessionPassword } from '../../app/api/session.server.ts';
import { systemLogEndpoint } from '../../app/api/system-log.server.ts';
import {
  phoneLookup, recordBatch, recordCollection, recordHistory, recordItem, recordPurge, recordQuery, recordRestore, recordSearch,
  recordShare, recordShares, recordSimilar,
} from '../../app/api/records.server.ts';
import { recordExport } from '../../app/lists/export.server.ts';

/** The handler each route module of app/routes.ts serves, so requests are routed as the app routes them. */
const handlers: Record<string, ApiHandler> = {
  'routes/api.records.ts': recordCollection,
  'routes/api.records.query.ts': recordQuery,
  'routes/api.records.search.ts': recordSearch,
  'routes/api.records.similar.ts': recordSimilar,
  'routes/api.records.batch.ts': recordBatch,
  'routes/api.records.export.ts': recordExport,
  'routes/api.phone-lookup.ts': phoneLookup,
  'routes/api.record.ts': recordItem,
  'routes/api.record.restore.ts': recordRestore,
  'routes/api.record.purge.ts': recordPurge,
  'routes/api.record.history.ts': recordHistory,
  'routes/api.record.shares.ts': recordShares,
  'routes/api.record.share.ts': recordShare,
  'routes/api.metadata.ts': metadataDocuments,
  'routes/api.metadata.plan.ts': metadataPlan,
  'routes/api.metadata.apply.ts': metadataApply,
  'routes/api.metadata.history.ts': metadataHistory,
  'routes/api.metadata.version.ts': metadataVersion,
  'routes/api.metadata.rollback.ts': metadataRollback,
  'routes/api.session.ts': sessionEndpoint,
  'routes/api.session.password.ts': sessionPassword,
  'routes/api.system-log.ts': systemLogEndpoint,
  'routes/api.openapi.ts': openApiEndpoint,
  'routes/api.files.ts': fileUpload,
  'routes/api.file.ts': fileDownload,
  'routes/api.print.templates.ts': printTemplates,
  'routes/api.print.ts': printOne,
  'routes/api.print.jobs.ts': printJobs,
  'routes/api.print.job.ts': printJob,
  'routes/api.print.job-pdf.ts': printJobResult,
  'routes/api.not-found.ts': apiNotFound,
};
const routeObjects = routes.filter((r) => r.path).map((r) => ({ id: r.file, path: `/${r.path}` }));

export interface Answer {
  status: number;
  headers: Headers;
  /** The JSON body parsed; the text of any other body (CSV…). */
  body: any;
  /** The body as it came (an XLSX file…). */
  bytes: Uint8Array;
}

export interface CallOptions {
  body?: unknown;
  raw?: BodyInit;
  headers?: Record<string, string>;
  /** null: no Authorization header; undefined: the client's token. */
  token?: string | null;
  /** A session token to send as the `forma_session` cookie (beside another cookie, as browsers do). */
  cookie?: string;
  /** The `X-CSRF-Token` header. */
  csrf?: string;
  /** The client's address, as the server saw it (default: the client's). */
  address?: string;
  /** The origin the request is sent to (default http://forma.test). */
  base?: string;
}

/**
 * A client of the REST API that routes each request as the app does and calls its handler
 * with a real Fetch Request, as `token`'s user (when given), from `address`.
 *
 * @example const api = apiClient(() => deps, () => token); const { status, body } = await api.get('/api/v1/records/customer');
 */
export function apiClient(deps: () => ApiDeps, token: () => string | undefined = () => undefined, address?: string) {
  async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers = new Headers(options.headers);
    const bearer = options.token === undefined ? token() : options.token;
    if (bearer !== null && bearer !== undefined) headers.set('Authorization', `Bearer ${bearer}`);
    if (options.cookie !== undefined) headers.set('Cookie', `theme=dark; forma_session=${options.cookie}`);
    if (options.csrf !== undefined) headers.set('X-CSRF-Token', options.csrf);
    let body: BodyInit | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    }
    const request = new Request(new URL(path, options.base ?? 'http://forma.test'), { method, headers, body, duplex: 'half' } as RequestInit);
    const matches = matchRoutes(routeObjects, new URL(request.url).pathname);
    const match = matches?.at(-1);
    if (!match) throw new Error(`no route for ${path}`);
    const response = await handlers[match.route.id]!(request, match.params, deps(), options.address ?? address);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const json = !response.headers.get('Content-Type') || /json/.test(response.headers.get('Content-Type')!);
    return { status: response.status, headers: response.headers, body: text ? (json ? JSON.parse(text) : text) : undefined, bytes };
  }
  return {
    call,
    get: (path: string, options?: CallOptions) => call('GET', path, options),
    post: (path: string, body?: unknown, options?: CallOptions) => call('POST', path, { ...options, body }),
    patch: (path: string, body: unknown, options?: CallOptions) => call('PATCH', path, { ...options, body }),
    delete: (path: string, options?: CallOptions) => call('DELETE', path, options),
  };
}
