import type { Kysely } from 'kysely';
import { problem } from '../../engine/errors.ts';
import { parseJson } from '../../engine/metadata/load-documents.ts';
import type { Actor } from '../../engine/security/actor.ts';
import type { Session } from '../../engine/security/sessions.ts';
import { readWithin } from '../../engine/files/bounded-stream.ts';
import { authenticate } from './auth.server.ts';
import { ApiError, apiError, errorResponse } from './errors.server.ts';

/** What an API handler needs besides the request: the database and the workspace it serves. */
export interface ApiDeps {
  db: Kysely<any>;
  workspace: string;
  /** Where Forma keeps its data (FORMA_DATA_DIR): stored files are under `<dataDir>/files`. */
  dataDir?: string;
}

/** Route parameters as React Router passes them (already URL-decoded). */
export type ApiParams = Readonly<Record<string, string | undefined>>;

/**
 * An endpoint of the REST API: a plain function of a Fetch Request, so tests call it directly.
 * `address` is the client's, as the server saw it (app/server.mjs), for the system log.
 */
export type ApiHandler = (request: Request, params: ApiParams, deps: ApiDeps, address?: string) => Promise<Response>;

/** One call of a public method (see `publicMethod`): nobody has been authenticated. */
export interface PublicCall {
  request: Request;
  params: ApiParams;
  deps: ApiDeps;
  address?: string;
}

/** One authenticated call, as a method's handler sees it. */
export interface ApiCall extends PublicCall {
  actor: Actor;
  /** The cookie session the call was made in; none for an API token. */
  session?: Session;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A method anyone may call, marked by `publicMethod`. */
interface PublicMethod {
  readonly public: (call: PublicCall) => Promise<Response>;
}

/**
 * Marks a method that needs no authentication — signing in is the one — among an endpoint's
 * authenticated ones.
 *
 * @example export const sessionEndpoint = endpoint({ POST: publicMethod(async ({ request, deps }) => …), DELETE: async ({ actor }) => … });
 */
export function publicMethod(handle: (call: PublicCall) => Promise<Response>): PublicMethod {
  return { public: handle };
}

/**
 * An endpoint answering the given methods: any other is 405 with `Allow`; every call is
 * authenticated first (401), unless its method is a `publicMethod`; whatever a method's handler
 * throws becomes a structured error response (see `errorResponse`). HEAD is answered as GET.
 *
 * @example export const recordHistory = endpoint({ GET: async ({ params, deps, actor }) => ok(await …) });
 */
export function endpoint(methods: Partial<Record<Method, ((call: ApiCall) => Promise<Response>) | PublicMethod>>): ApiHandler {
  const allowed = Object.keys(methods).join(', ');
  return async (request, params, deps, address) => {
    try {
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      const handle = methods[method as Method];
      if (!handle) {
        throw apiError(405, 'method_not_allowed', { method: request.method.slice(0, 20), allowed }, { Allow: allowed });
      }
      const call = { request, params, deps, address };
      if (typeof handle !== 'function') return await handle.public(call);
      return await handle({ ...call, ...(await authenticate(request, deps.db, address)) });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A JSON response that no cache keeps: records are the customer's data. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** Requests and their bodies are small: a record with its lines, a query. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's JSON body: 415 unless it is declared as JSON, 413 past 1 MiB — by the declared
 * Content-Length and by the bytes actually read, so a chunked or lying request cannot get
 * more in — and 400 `json_malformed` (with line and column) when it does not parse.
 */
export async function readJson(request: Request): Promise<unknown> {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  const type = request.headers.get('Content-Type');
  if (!isJsonMediaType(type)) throw apiError(415, 'media_type_unsupported', { type: type?.slice(0, 100) ?? '—' });
  const bytes = await readAtMost(request.body, MAX_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const p = problem('json_malformed', '', { detail: 'not valid UTF-8', line: 1, column: 1 }, 'body');
    throw new ApiError(400, 'json_malformed', p.message, [p]);
  }
  const parsed = parseJson(text, 'body');
  if ('problem' in parsed) throw new ApiError(400, 'json_malformed', parsed.problem.message, [parsed.problem]);
  return parsed.value;
}

/** `application/json` or a `+json` type such as `application/merge-patch+json`; a charset other than UTF-8 is not JSON. */
function isJsonMediaType(type: string | null): boolean {
  if (!type) return false;
  const [essence = '', ...parameters] = type.toLowerCase().split(';').map((s) => s.trim());
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return (essence === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence))
    && (charset === undefined || charset === 'utf-8');
}

async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  const size = await readWithin(body, max, (chunk) => void chunks.push(chunk));
  if (size === undefined) throw tooLarge();
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) bytes.set(chunk, offset), (offset += chunk.byteLength);
  return bytes;
}

function tooLarge(): ApiError {
  return apiError(413, 'payload_too_large', { max: MAX_BODY_BYTES });
}

/**
 * The request's query parameters, refusing any not in `known` (a misspelt `sizee=10` should
 * not silently give 50 records) and any given twice.
 */
export function queryParameters(request: Request, known: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URL(request.url).searchParams) {
    if (!known.includes(name)) {
      throw apiError(400, 'parameter_unknown', { name: name.slice(0, 100), known: known.join(', ') || '—' });
    }
    if (parameters.has(name)) {
      throw apiError(400, 'parameter_invalid', { name, expectedZh: '只出现一次', expectedEn: 'it once only' });
    }
    parameters.set(name, value);
  }
  return parameters;
}
