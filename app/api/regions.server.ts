import { regionChildren } from '../../engine/regions/regions.ts';
import { apiError } from './errors.server.ts';
import { endpoint, json, queryParameters } from './http.server.ts';

/**
 * `GET /api/v1/regions?parent=<code>`: the places below a six-digit area code (the provinces
 * without `parent`), for the province → city → district selects of region fields: the
 * ~3,000-place table stays on the server and a form loads one list at a time. For signed-in
 * callers (cookie session or API token), like the rest of the API; the list changes only with
 * a new Forma release, so browsers may keep it for a day. A code with nothing below it
 * answers an empty list.
 */
export const regionsEndpoint = endpoint({
  GET: async ({ request }) => {
    const parent = queryParameters(request, ['parent']).get('parent');
    if (parent !== undefined && !/^[0-9]{6}$/.test(parent)) {
      throw apiError(400, 'parameter_invalid', { name: 'parent', expectedZh: '6 位行政区划代码', expectedEn: 'a six-digit area code' });
    }
    return json({ places: regionChildren(parent) }, 200, { 'Cache-Control': 'private, max-age=86400' });
  },
});
