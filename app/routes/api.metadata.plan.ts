// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataPlan } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata.plan';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataPlan, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataPlan, request, params, context);
