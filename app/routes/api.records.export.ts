// GET /api/v1/records/:entity/export — see app/lists/export.server.ts.
import { serve } from '../api/serve.server.ts';
import { recordExport } from '../lists/export.server.ts';
import type { Route } from './+types/api.records.export';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordExport, request, params, context);
