import type { ApiProblem } from './values.ts';

/** An error answer of the REST API. */
export interface ApiFailure {
  code: string;
  message: Record<string, string>;
  problems: ApiProblem[];
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiFailure };

/**
 * Calls the REST API from the browser as the signed-in person: the session cookie goes along by
 * itself, writes carry the page's CSRF token. A network failure is an answer too (status 0).
 */
export async function callApi<T>(method: 'GET' | 'POST' | 'PATCH', url: string, csrfToken: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrfToken }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'network', message: {}, problems: [] } };
  }
  const parsed = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return { ok: true, status: response.status, body: parsed as T };
  const error = (parsed as { error?: ApiFailure } | undefined)?.error;
  return { ok: false, status: response.status, error: error ?? { code: `http_${response.status}`, message: {}, problems: [] } };
}
