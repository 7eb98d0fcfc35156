import { isFormaError, type Problem } from '../../engine/errors.ts';
import { fillText, type LocalizedText } from '../../engine/i18n/text.ts';
import { apiMessages, type ApiMessageCode } from './messages.server.ts';

/** A refusal by the HTTP layer itself (method, content type, size, parameters), with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: LocalizedText,
    readonly problems: Problem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(text.en);
    this.name = 'ApiError';
  }

  toJSON() {
    return { code: this.code, message: this.text, problems: this.problems };
  }
}

/** An ApiError from the HTTP layer's message catalogue. */
export function apiError(
  status: number, code: ApiMessageCode, params: Record<string, unknown> = {}, headers: Record<string, string> = {},
): ApiError {
  return new ApiError(status, code, fillText(apiMessages[code], params), [], headers);
}

/**
 * The HTTP status of an engine error code. The engine throws FormaError only for bad input, so
 * anything not named here is the client's mistake in what it sent (400): record_invalid,
 * query_invalid, document_not_object, record_version_required, line_entity_direct…
 */
const statusByCode: Readonly<Record<string, number>> = {
  unauthenticated: 401,
  login_failed: 401,
  permission_denied: 403,
  field_forbidden: 403,
  record_not_found: 404,
  file_not_found: 404,
  share_unknown: 404,
  entity_unknown: 404,
  record_conflict: 409,
  plan_stale: 409,
  metadata_conflict: 409,
  record_deleted: 409,
  record_not_deleted: 409,
  record_referenced: 409,
  file_too_large: 413,
  login_locked: 423,
  login_rate_limited: 429,
  print_template_not_found: 404,
  print_job_not_found: 404,
  print_job_not_done: 409,
  print_template_invalid: 422,
  print_render_failed: 422,
  print_job_limit: 429,
  print_setup_missing: 503,
  print_browser_failed: 503,
  print_timeout: 503,
  print_renderer_closed: 503,
};

export function statusOf(code: string): number {
  return statusByCode[code] ?? 400;
}

/**
 * The response for anything a handler threw: `{ "error": { code, message: { zh-CN, en }, problems } }`
 * with the status of its code. Anything that is neither a FormaError nor an ApiError is a bug:
 * logged here with its stack, answered 500 `internal_error` without one.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorBody(error.status, error.toJSON(), error.headers);
  if (isFormaError(error)) {
    const status = statusOf(error.code);
    return errorBody(status, error.toJSON(), status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
  }
  console.error('Forma API: unexpected error', error);
  return errorBody(500, { code: 'internal_error', message: apiMessages.internal_error, problems: [] });
}

function errorBody(status: number, error: { code: string; message: LocalizedText; problems: Problem[] }, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}
