// GET /api/v1/phone-lookup — see app/api/records.server.ts.
import { phoneLookup } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.phone-lookup';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(phoneLookup, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(phoneLookup, request, params, context);
