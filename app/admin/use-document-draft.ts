import { useEffect, useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { MetadataDocument } from '../../engine/metadata/model.ts';
import type { ChangeResult, DraftChange, ProblemView } from './change.ts';
import type { Change } from './use-change.ts';

/** What a designer of one document works with (see `useDocumentDraft`). */
export interface DocumentDraft {
  /** The document as the change to review and apply (one object per content, so a review stays about it). */
  draft: DraftChange;
  draftJson: string;
  /** Whether it differs from what is applied (a new document always does). */
  dirty: boolean;
  /** The engine's problems with exactly this draft (from the last review or check), about this document. */
  problems: ProblemView[];
}

/**
 * The designers that edit one document (a numbering rule, a print template) share this: the draft
 * document as a DraftChange, whether it differs from the applied one (`saved`, normalised the
 * way the designer writes documents), a live `validate` as the admin edits, the engine's
 * problems with this very draft, and — for a new document — the move to its own address once applied.
 *
 * @example const { draft, dirty, problems } = useDocumentDraft(change, doc, saved, isNew ? `/admin/numbering/${doc.name}` : undefined);
 */
export function useDocumentDraft(change: Change, doc: MetadataDocument, saved: MetadataDocument | undefined, addressWhenCreated?: string): DocumentDraft {
  const navigate = useNavigate();
  const docJson = JSON.stringify(doc);
  const draft: DraftChange = useMemo(() => ({ upsert: [doc] }), [docJson]);
  const draftJson = JSON.stringify(draft);
  const savedJson = useMemo(() => (saved ? JSON.stringify({ upsert: [saved] }) : ''), [saved]);
  const dirty = draftJson !== savedJson;
  useEffect(() => {
    if (dirty) change.validate(draft);
  }, [draftJson]);

  const applied = change.result?.applied;
  useEffect(() => {
    if (addressWhenCreated && applied?.changed) navigate(addressWhenCreated, { replace: true, state: { applied: applied.version } });
  }, [applied]);

  const source = `${doc.kind}:${doc.name}`;
  const answer = [change.result, change.validation].find((a): a is ChangeResult => a?.draft === draftJson && a.problems.length > 0);
  const problems = (answer?.problems ?? []).filter((p) => p.source === source);
  return { draft, draftJson, dirty, problems };
}
