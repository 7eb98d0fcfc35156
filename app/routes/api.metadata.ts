// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataDocuments } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataDocuments, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataDocuments, request, params, context);
