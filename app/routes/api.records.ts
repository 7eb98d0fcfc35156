// GET (list) and POST (create) /api/v1/records/:entity — see app/api/records.server.ts.
import { recordCollection } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.records';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordCollection, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordCollection, request, params, context);
