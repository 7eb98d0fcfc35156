import { useMemo, useState } from 'react';
import { t, type Locale } from '../text/index.ts';
import {
  builderToTree, defaultOp, emptyBuilder, MAX_GROUP_DEPTH, nodeId, nodeProblems, treeToBuilder, unplacedProblems, updateNode, valueForOp,
  type BuilderCondition, type BuilderGroup, type BuilderNode, type FieldChoice, type FilterProblem, type FilterTree, type Operator,
} from './filter.ts';
import { opLabel } from './labels.ts';
import { ValueInput } from './ValueInput.tsx';

interface Props {
  fields: FieldChoice[];
  /** The person's filter as the URL has it. */
  filter: FilterTree | undefined;
  /** What the engine found wrong with it, by JSON Pointer into it. */
  problems: FilterProblem[];
  locale: Locale;
  onApply(tree: FilterTree | undefined): void;
  onClose(): void;
}

/**
 * The filter builder (筛选): and/or groups of conditions — a field of the entity or of a record
 * one lookup away, an operator fitting it, a value in the input fitting it — one level of groups
 * inside the top one. Applying puts the filter in the address; what the engine refuses comes
 * back and is shown under the condition it is about.
 */
export function FilterBuilder({ fields, filter, problems, locale, onApply, onClose }: Props) {
  const [root, setRoot] = useState<BuilderGroup>(() => treeToBuilder(filter, fields));
  const [missing, setMissing] = useState<Map<string, string>>(new Map());
  const byPath = useMemo(() => new Map(fields.map((f) => [f.path, f])), [fields]);
  const groups = useMemo(() => [...new Set(fields.map((f) => f.group))], [fields]);
  const texts = { pickField: t(locale, 'list_pick_field'), pickOperator: t(locale, 'list_pick_operator'), enterValue: t(locale, 'list_enter_value') };
  const change = (id: string, update: (node: BuilderNode) => BuilderNode | undefined) => {
    setRoot((current) => updateNode(current, id, update));
    setMissing((current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });
  };
  const newCondition = (): BuilderCondition => ({ type: 'condition', id: nodeId(), field: '', op: '', value: '' });
  const apply = () => {
    const { tree, missing: incomplete } = builderToTree(root, fields, texts);
    setMissing(incomplete);
    if (!incomplete.size) onApply(tree);
  };
  const stray = unplacedProblems(problems, root);

  // Render functions, not components: a component defined in here would be a new type on every
  // render, and React would remount the inputs (losing focus) at each keystroke.
  function renderGroup(group: BuilderGroup, depth: number) {
    const own = nodeProblems(problems, group);
    return (
      <fieldset className={`filter-group depth-${depth}`}>
        <legend>
          <select
            value={group.mode} aria-label={t(locale, 'list_filter_all')}
            onChange={(e) => change(group.id, (n) => ({ ...(n as BuilderGroup), mode: e.target.value as 'and' | 'or' }))}
          >
            <option value="and">{t(locale, 'list_filter_all')}</option>
            <option value="or">{t(locale, 'list_filter_any')}</option>
          </select>
          {depth > 1 ? (
            <button type="button" className="link remove" onClick={() => change(group.id, () => undefined)} title={t(locale, 'list_remove')} aria-label={t(locale, 'list_remove')}>×</button>
          ) : null}
        </legend>
        {group.children.length === 0 && depth === 1 ? <p className="muted empty-filter">{t(locale, 'list_filter_empty')}</p> : null}
        <ol className="conditions">
          {group.children.map((child, i) => (
            <li key={child.id} className={child.type === 'group' ? 'nested' : undefined}>
              {i > 0 ? <span className="connector">{t(locale, group.mode === 'and' ? 'list_and' : 'list_or')}</span> : <span className="connector" />}
              {child.type === 'group' ? renderGroup(child, depth + 1)
                : child.type === 'raw' ? renderRaw(child)
                : renderCondition(child)}
            </li>
          ))}
        </ol>
        {own.map((p) => <p key={p.path + p.message} className="field-error" role="alert">{p.message}</p>)}
        <div className="group-actions">
          <button type="button" className="link" onClick={() => change(group.id, (n) => ({ ...(n as BuilderGroup), children: [...(n as BuilderGroup).children, newCondition()] }))}>
            + {t(locale, 'list_add_condition')}
          </button>
          {depth < MAX_GROUP_DEPTH ? (
            <button
              type="button" className="link"
              onClick={() => change(group.id, (n) => ({ ...(n as BuilderGroup), children: [...(n as BuilderGroup).children, { type: 'group', id: nodeId(), mode: group.mode === 'and' ? 'or' : 'and', children: [newCondition()] }] }))}
            >
              + {t(locale, 'list_add_group')}
            </button>
          ) : null}
        </div>
      </fieldset>
    );
  }

  function renderCondition(node: BuilderCondition) {
    const field = byPath.get(node.field);
    const errors = [...nodeProblems(problems, node).map((p) => p.message), ...(missing.has(node.id) ? [missing.get(node.id)!] : [])];
    const fieldLabel = field?.label ?? node.field;
    return (
      <div className={`condition${errors.length ? ' invalid' : ''}`} data-field={node.field || undefined}>
        <div className="condition-inputs">
          <select
            className="field-pick" value={node.field} aria-label={t(locale, 'list_pick_field')} aria-invalid={errors.length ? true : undefined}
            onChange={(e) => {
              const next = byPath.get(e.target.value);
              const op = next && node.op && next.ops.includes(node.op) ? node.op : defaultOp(next);
              change(node.id, (n) => ({ ...(n as BuilderCondition), field: e.target.value, op, value: valueForOp('', op, next) }));
            }}
          >
            <option value="">{t(locale, 'list_pick_field')}</option>
            {groups.map((group) => (
              <optgroup key={group} label={group}>
                {fields.filter((f) => f.group === group).map((f) => <option key={f.path} value={f.path}>{f.label}</option>)}
              </optgroup>
            ))}
            {node.field && !field ? <option value={node.field}>{t(locale, 'list_unknown_field', { field: node.field })}</option> : null}
          </select>
          <select
            className="op-pick" value={node.op} aria-label={t(locale, 'list_pick_operator')} disabled={!node.field}
            onChange={(e) => {
              const op = e.target.value as Operator | '';
              change(node.id, (n) => ({ ...(n as BuilderCondition), op, value: valueForOp((n as BuilderCondition).value, op, field) }));
            }}
          >
            <option value="">{t(locale, 'list_pick_operator')}</option>
            {(field?.ops ?? []).map((op) => <option key={op} value={op}>{opLabel(locale, op, field?.kind)}</option>)}
            {node.op && !field?.ops.includes(node.op) ? <option value={node.op}>{opLabel(locale, node.op, field?.kind)}</option> : null}
          </select>
          <ValueInput
            field={field} op={node.op} value={node.value} locale={locale} label={`${fieldLabel} ${node.op ? opLabel(locale, node.op, field?.kind) : ''}`}
            invalid={errors.length > 0} onChange={(value) => change(node.id, (n) => ({ ...(n as BuilderCondition), value }))}
          />
          <button type="button" className="link remove" onClick={() => change(node.id, () => undefined)} title={t(locale, 'list_remove')} aria-label={t(locale, 'list_remove')}>×</button>
        </div>
        {errors.map((message) => <p key={message} className="field-error" role="alert">{message}</p>)}
      </div>
    );
  }

  function renderRaw(node: Extract<BuilderNode, { type: 'raw' }>) {
    const errors = nodeProblems(problems, node);
    return (
      <div className={`condition raw${errors.length ? ' invalid' : ''}`}>
        <div className="condition-inputs">
          <span className="muted">{t(locale, 'list_custom_condition')}</span>
          <code>{JSON.stringify(node.tree)}</code>
          <button type="button" className="link remove" onClick={() => change(node.id, () => undefined)} title={t(locale, 'list_remove')} aria-label={t(locale, 'list_remove')}>×</button>
        </div>
        {errors.map((p) => <p key={p.path + p.message} className="field-error" role="alert">{p.path}: {p.message}</p>)}
      </div>
    );
  }

  return (
    <section className="filter-builder card" aria-label={t(locale, 'list_filter')}>
      {stray.length ? <div className="alert" role="alert">{stray.map((p) => <p key={p.path + p.message}>{p.message}</p>)}</div> : null}
      <form onSubmit={(e) => { e.preventDefault(); apply(); }}>
        {renderGroup(root, 1)}
        <div className="builder-actions">
          <button type="submit" className="primary">{t(locale, 'list_apply')}</button>
          <button type="button" onClick={() => { setRoot(emptyBuilder()); setMissing(new Map()); onApply(undefined); }}>{t(locale, 'list_clear')}</button>
          <button type="button" className="link" onClick={onClose}>{t(locale, 'list_close')}</button>
          <span className="muted hint">{t(locale, 'list_bookmark_hint')}</span>
        </div>
      </form>
    </section>
  );
}
