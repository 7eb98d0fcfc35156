import { FormaError, isFormaError, type Problem } from '../../engine/errors.ts';
import type { LocalizedText } from '../../engine/i18n/text.ts';
import { describeChanges } from '../../engine/metadata/diff.ts';
import { documentKey, type Model } from '../../engine/metadata/model.ts';
import { loadModel } from '../../engine/metadata/store.ts';
import { applyChange, planChange, planRollback, purge, rollbackTo } from '../../engine/schema/change.ts';
import { checkChangeSet, type ChangeSet, type Plan } from '../../engine/schema/plan.ts';
import { label, t, type Locale } from '../text/index.ts';
import type { Admin } from './admin.server.ts';
import type { ChangeIntent, ChangeResult, ConflictView, DraftChange, PlanView, ProblemView } from './change.ts';

const INTENTS: readonly ChangeIntent[] = ['validate', 'review', 'apply', 'purge', 'review-rollback', 'rollback'];

/**
 * Runs one designer post (`/admin/change`) through the engine: `validate` checks the draft
 * against the meta-schemas and the whole model; `review` plans it with its data checks;
 * `apply` applies it atomically, refusing it when another admin changed the same documents
 * since `basedOn`; `purge` drops an archived field or entity after the admin typed its name;
 * `review-rollback` / `rollback` plan and apply a return to an earlier version. Bad input comes
 * back as problems (nothing changed), never as a thrown error.
 */
export async function runChangeIntent(admin: Admin, form: FormData): Promise<ChangeResult> {
  const intent = INTENTS.find((i) => i === form.get('intent'));
  if (!intent) throw new Response('Bad request', { status: 400 });
  const draftJson = String(form.get('draft') ?? '');
  try {
    switch (intent) {
      case 'validate': {
        const { problems } = checkChangeSet(admin.model, changeSetOf(draftJson));
        return { intent, problems: problems.map((p) => problemView(p, admin.locale)), draft: draftJson };
      }
      case 'review': {
        const plan = await planChange(admin.ctx, changeSetOf(draftJson));
        return { intent, problems: plan.problems.map((p) => problemView(p, admin.locale)), plan: planView(plan, admin.locale), draft: draftJson };
      }
      case 'apply': {
        const applied = await applyChange(admin.ctx, admin.session.actor, changeSetOf(draftJson), {
          basedOn: basedOnOf(form), reason: reasonOf(form),
        });
        return { intent, problems: [], applied: { version: applied.version, changed: applied.changed }, draft: draftJson };
      }
      case 'purge': {
        const entity = String(form.get('entity') ?? '');
        const field = form.get('field') === null ? undefined : String(form.get('field'));
        if (String(form.get('confirm') ?? '') !== (field ?? entity)) {
          return { intent, problems: [], error: t(admin.locale, 'admin_purge_confirm_mismatch', { name: field ?? entity }) };
        }
        const applied = await purge(admin.ctx, admin.session.actor, { entity, field }, { allowDestructive: true, basedOn: basedOnOf(form) });
        return { intent, problems: [], applied: { version: applied.version, changed: applied.changed } };
      }
      case 'review-rollback': {
        const plan = await planRollback(admin.ctx, versionOf(form));
        return { intent, problems: plan.problems.map((p) => problemView(p, admin.locale)), plan: planView(plan, admin.locale) };
      }
      case 'rollback': {
        const version = versionOf(form);
        const reason = reasonOf(form) ?? t(admin.locale, 'admin_rollback_reason', { version });
        const applied = await rollbackTo(admin.ctx, admin.session.actor, version, { basedOn: basedOnOf(form), reason });
        return { intent, problems: [], applied: { version: applied.version, changed: applied.changed } };
      }
    }
  } catch (error) {
    if (!isFormaError(error)) throw error;
    // A conflict's problems name the documents someone else changed: the conflict panel shows what they changed instead.
    if (error.code === 'metadata_conflict') {
      return { intent, error: error.text[admin.locale], problems: [], draft: draftJson, conflict: await conflictView(admin, error, basedOnOf(form)) };
    }
    return { intent, error: error.text[admin.locale], problems: error.problems.map((p) => problemView(p, admin.locale)), draft: draftJson };
  }
}

/** The draft a designer posted, as the engine's change set; malformed JSON is the browser's bug, not the admin's. */
function changeSetOf(json: string): ChangeSet {
  let draft: DraftChange;
  try {
    draft = JSON.parse(json) as DraftChange;
  } catch {
    throw new Response('Bad request: draft is not JSON', { status: 400 });
  }
  if (!draft || !Array.isArray(draft.upsert)) throw new Response('Bad request: draft has no upsert list', { status: 400 });
  return { upsert: draft.upsert.map((document) => ({ document })), remove: Array.isArray(draft.remove) ? draft.remove : [] };
}

function basedOnOf(form: FormData): number {
  const value = Number(form.get('basedOn'));
  if (!Number.isInteger(value) || value < 0) throw new Response('Bad request: basedOn', { status: 400 });
  return value;
}

function versionOf(form: FormData): number {
  const value = Number(form.get('version'));
  if (!Number.isInteger(value) || value < 1) throw new Response('Bad request: version', { status: 400 });
  return value;
}

function reasonOf(form: FormData): string | undefined {
  const reason = String(form.get('reason') ?? '').trim();
  return reason ? reason.slice(0, 500) : undefined;
}

export function problemView(p: Problem, locale: Locale): ProblemView {
  return { code: p.code, message: p.message[locale], path: p.path, ...(p.source ? { source: p.source } : {}) };
}

/** A plan as the admin reads it. */
export function planView(plan: Plan, locale: Locale): PlanView {
  return {
    operations: plan.operations.map((o) => ({
      risk: o.risk,
      summary: o.summary[locale],
      ...(o.check ? { passed: o.check.passed } : {}),
      ...(o.check && !o.check.passed && o.check.problem ? { problem: o.check.problem.message[locale] } : {}),
    })),
    refused: plan.refused,
    destructive: plan.destructive,
  };
}

/** What the other admin changed in the documents both touched: the readable diff from `basedOn` to now. */
async function conflictView(admin: Admin, error: FormaError, basedOn: number): Promise<ConflictView> {
  const keys = new Set(error.problems.map((p) => p.source).filter((s): s is string => Boolean(s)));
  const [before, now] = await Promise.all([loadModel(admin.ctx, basedOn), loadModel(admin.ctx)]);
  const only = (model: Model): Model => new Map([...model].filter(([key]) => keys.has(key)));
  return {
    message: error.text[admin.locale],
    documents: describeChanges(only(before), only(now)).map((c) => ({
      kind: c.kind, name: c.name, label: label(c.label, admin.locale), lines: c.lines.map((l: LocalizedText) => l[admin.locale]),
    })),
  };
}

/** The readable changes a version made (to its previous version), in the admin's language. */
export async function versionDiff(admin: Admin, version: number) {
  const [before, after] = await Promise.all([
    version > 1 ? loadModel(admin.ctx, version - 1) : Promise.resolve(new Map() as Model),
    loadModel(admin.ctx, version),
  ]);
  return describeChanges(before, after).map((c) => ({
    key: documentKey(c), kind: c.kind, name: c.name, change: c.change, label: label(c.label, admin.locale),
    lines: c.lines.map((l) => l[admin.locale]),
  }));
}
