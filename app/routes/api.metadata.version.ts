// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataVersion } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata.version';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataVersion, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataVersion, request, params, context);
