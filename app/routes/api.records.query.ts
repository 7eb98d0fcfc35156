// POST /api/v1/records/:entity/query — see app/api/records.server.ts.
import { recordQuery } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.records.query';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordQuery, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordQuery, request, params, context);
