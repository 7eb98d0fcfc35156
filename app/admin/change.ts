// What the admin designers send to `/admin/change` and get back: shapes shared by the action
// (app/admin/change.server.ts) and the browser (use-change.ts, change-review.tsx).
import type { MetadataDocument } from '../../engine/metadata/model.ts';
import type { Risk } from '../../engine/schema/operations.ts';

/** A designer's edit: the documents as they would become, and documents to remove. */
export interface DraftChange {
  upsert: MetadataDocument[];
  remove?: { kind: string; name: string }[];
}

/** One problem, in the admin's language: `source` is the document (`entity:customer`), `path` a JSON Pointer inside it. */
export interface ProblemView {
  code: string;
  message: string;
  path: string;
  source?: string;
}

/** One step of a plan as the admin reads it; `problem` says why its data check failed. */
export interface OperationView {
  risk: Risk;
  summary: string;
  /** A data check's outcome: passed, or the problem that refuses the plan. */
  passed?: boolean;
  problem?: string;
}

export interface PlanView {
  operations: OperationView[];
  refused: boolean;
  destructive: boolean;
}

/** What another admin changed in a document since this admin started editing. */
export interface ConflictView {
  message: string;
  documents: { kind: string; name: string; label: string; lines: string[] }[];
}

export type ChangeIntent = 'validate' | 'review' | 'apply' | 'purge' | 'review-rollback' | 'rollback';

/** The answer to one post: the problems (none when all is well), and what the intent produced. */
export interface ChangeResult {
  intent: ChangeIntent;
  /** The headline of a refusal, when there is one. */
  error?: string;
  problems: ProblemView[];
  plan?: PlanView;
  applied?: { version: number; changed: boolean };
  conflict?: ConflictView;
  /** The draft (as JSON) this result is about: a review of an older draft does not allow applying a newer one. */
  draft?: string;
}
