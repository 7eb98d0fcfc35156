// GET /api/v1/records/:entity/search — see app/api/records.server.ts.
import { recordSearch } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.records.search';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordSearch, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordSearch, request, params, context);
