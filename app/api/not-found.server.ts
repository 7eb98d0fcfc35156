import { authenticate } from './auth.server.ts';
import { apiError, errorResponse } from './errors.server.ts';
import type { ApiHandler } from './http.server.ts';

/**
 * Any other `/api/…` address: a structured 404 rather than the app's HTML page, so a client
 * with a wrong URL learns so in the format it reads. Authenticated like every API address,
 * so the API's shape is not told to strangers.
 */
export const apiNotFound: ApiHandler = async (request, _params, deps, address) => {
  try {
    await authenticate(request, deps.db, address);
    throw apiError(404, 'api_route_unknown', { path: new URL(request.url).pathname.slice(0, 200) });
  } catch (error) {
    return errorResponse(error);
  }
};
