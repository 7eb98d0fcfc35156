// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataApply } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata.apply';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataApply, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataApply, request, params, context);
