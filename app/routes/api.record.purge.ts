// POST /api/v1/records/:entity/:id/purge — see app/api/records.server.ts.
import { recordPurge } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record.purge';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordPurge, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordPurge, request, params, context);
