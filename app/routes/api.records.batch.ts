// POST /api/v1/records/:entity/batch — see app/api/records.server.ts.
import { recordBatch } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.records.batch';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordBatch, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordBatch, request, params, context);
