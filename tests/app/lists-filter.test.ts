import { describe, expect, it } from 'vitest';
import {
  builderToTree, canonicalFilter, combineFilters, conditionCount, filterParam, inputOf, isoMoment, localMoment, nodeProblems, parseFilterParam,
  personalPointer, scalarOf, splitList, treeToBuilder, unplacedProblems, updateNode, valueForOp,
  type BuilderCondition, type BuilderGroup, type FieldChoice, type FilterTree,
} from '../../app/lists/filter.ts';

const fields: FieldChoice[] = [
  { path: 'name', label: '客户名称', group: '客户', kind: 'text', fieldType: 'text', ops: ['eq', 'contains', 'in', 'is_empty'] },
  { path: 'level', label: '客户等级', group: '客户', kind: 'choice', fieldType: 'select', ops: ['eq', 'ne', 'in', 'not_in', 'is_empty'], options: [{ value: 'A', label: 'A 类' }, { value: 'VIP', label: 'VIP' }] },
  { path: 'credit_limit', label: '信用额度', group: '客户', kind: 'number', fieldType: 'money', ops: ['eq', 'gte', 'between', 'in'] },
  { path: 'vip', label: '重点', group: '客户', kind: 'boolean', fieldType: 'boolean', ops: ['eq', 'ne'] },
  { path: 'created_at', label: '创建时间', group: '客户', kind: 'datetime', fieldType: 'datetime', ops: ['gte', 'between'] },
  { path: 'customer.level', label: '客户.客户等级', group: '客户', kind: 'choice', fieldType: 'select', ops: ['eq', 'in'], options: [{ value: 'A', label: 'A 类' }] },
];
const texts = { pickField: 'field?', pickOperator: 'op?', enterValue: 'value?' };

describe('the filter in the URL', () => {
  it('reads JSON objects and says what is wrong with anything else', () => {
    expect(parseFilterParam(null)).toEqual({});
    expect(parseFilterParam('  ')).toEqual({});
    expect(parseFilterParam('{"field":"level","op":"eq","value":"A"}')).toEqual({ tree: { field: 'level', op: 'eq', value: 'A' } });
    expect(parseFilterParam('{"field":')).toEqual({ error: 'json' });
    expect(parseFilterParam('[1,2]')).toEqual({ error: 'shape' });
    expect(parseFilterParam('"text"')).toEqual({ error: 'shape' });
  });

  it('round-trips through URLSearchParams, Chinese values and all', () => {
    const tree: FilterTree = { and: [{ field: 'name', op: 'contains', value: '新时代 & "科技"' }, { field: 'customer.level', op: 'in', value: ['A', 'VIP'] }] };
    const url = new URL(`http://forma.test/r/contact?${new URLSearchParams({ filter: filterParam(tree), sort: '-name' })}`);
    expect(parseFilterParam(url.searchParams.get('filter')).tree).toEqual(tree);
  });

  it('puts keys in one order, whatever order the database gave them back in', () => {
    const stored = { or: [{ op: 'in', field: 'level', value: ['A'] }, { not: { value: 1, op: 'eq', field: 'credit_limit' } }] } as unknown as FilterTree;
    expect(filterParam(canonicalFilter(stored))).toBe('{"or":[{"field":"level","op":"in","value":["A"]},{"not":{"field":"credit_limit","op":"eq","value":1}}]}');
    expect(filterParam(canonicalFilter({ op: 'is_empty', field: 'name' } as FilterTree))).toBe('{"field":"name","op":"is_empty"}');
  });

  it('combines the list view\'s filter with the person\'s, and finds the person\'s problems in the combined query', () => {
    const mine: FilterTree = { field: 'level', op: 'eq', value: 'A' };
    const view: FilterTree = { field: 'name', op: 'is_empty' };
    expect(combineFilters(undefined, undefined)).toBeUndefined();
    expect(combineFilters(mine, undefined)).toBe(mine);
    expect(combineFilters(mine, view)).toEqual({ and: [mine, view] });
    expect(personalPointer('/filter/and/0/value', '/filter/and/0')).toBe('/value');
    expect(personalPointer('/filter/and/0', '/filter/and/0')).toBe('');
    expect(personalPointer('/filter/and/1/op', '/filter/and/0')).toBeUndefined();
    expect(personalPointer('/sort/0/field', '/filter')).toBeUndefined();
    expect(personalPointer('/filterx', '/filter')).toBeUndefined();
  });

  it('counts conditions', () => {
    expect(conditionCount(undefined)).toBe(0);
    expect(conditionCount({ field: 'name', op: 'is_empty' })).toBe(1);
    expect(conditionCount({ and: [{ field: 'name', op: 'is_empty' }, { or: [{ field: 'level', op: 'eq', value: 'A' }, { not: { field: 'vip', op: 'eq', value: true } }] }] })).toBe(3);
  });
});

describe('the builder model', () => {
  it('reads a filter into groups and conditions that remember where they were, for the engine\'s problems', () => {
    const tree: FilterTree = {
      or: [
        { field: 'level', op: 'in', value: ['A', 'VIP'] },
        { and: [{ field: 'credit_limit', op: 'between', value: [1000, 5000] }, { field: 'name', op: 'in', value: ['甲', '乙'] }] },
        { not: { field: 'vip', op: 'eq', value: true } },
        { and: [{ or: [{ field: 'name', op: 'eq', value: 'deep' }] }] },
      ],
    };
    const root = treeToBuilder(tree, fields);
    expect(root).toMatchObject({ type: 'group', mode: 'or', at: '' });
    const [level, group, not, deep] = root.children as [BuilderCondition, BuilderGroup, { type: string; at: string }, BuilderGroup];
    expect(level).toMatchObject({ type: 'condition', field: 'level', op: 'in', value: ['A', 'VIP'], at: '/or/0' });
    expect(group).toMatchObject({ type: 'group', mode: 'and', at: '/or/1' });
    expect(group.children[0]).toMatchObject({ field: 'credit_limit', op: 'between', value: ['1000', '5000'], at: '/or/1/and/0' });
    // A text field's list is typed into one box.
    expect(group.children[1]).toMatchObject({ field: 'name', op: 'in', value: '甲, 乙', at: '/or/1/and/1' });
    expect(not).toMatchObject({ type: 'raw', at: '/or/2' });
    // Deeper than the builder shows: kept whole.
    expect(deep.children[0]).toMatchObject({ type: 'raw', at: '/or/3/and/0' });
    expect(builderToTree(root, fields, texts)).toEqual({ tree, missing: new Map() });
  });

  it('makes a bare condition the one condition of an "all of" group', () => {
    const root = treeToBuilder({ field: 'level', op: 'eq', value: 'A' }, fields);
    expect(root).toMatchObject({ type: 'group', mode: 'and', children: [{ type: 'condition', at: '' }] });
    expect(root.at).toBeUndefined();
    expect(builderToTree(root, fields, texts).tree).toEqual({ and: [{ field: 'level', op: 'eq', value: 'A' }] });
  });

  it('converts typed values for the field: numbers, booleans, moments in the workspace\'s zone, lists', () => {
    const root: BuilderGroup = {
      type: 'group', id: 'r', mode: 'and', children: [
        { type: 'condition', id: 'a', field: 'credit_limit', op: 'gte', value: '100,000' },
        { type: 'condition', id: 'b', field: 'vip', op: 'eq', value: 'false' },
        { type: 'condition', id: 'c', field: 'created_at', op: 'between', value: ['2026-01-01T00:00', '2026-06-30T23:59'] },
        { type: 'condition', id: 'd', field: 'name', op: 'in', value: '新时代，华远、 北京\n上海' },
        { type: 'condition', id: 'e', field: 'credit_limit', op: 'eq', value: 'abc' },
        { type: 'condition', id: 'f', field: 'name', op: 'is_empty', value: 'ignored' },
        { type: 'group', id: 'g', mode: 'or', children: [] },
      ],
    };
    expect(builderToTree(root, fields, texts)).toEqual({
      tree: {
        and: [
          { field: 'credit_limit', op: 'gte', value: 100000 },
          { field: 'vip', op: 'eq', value: false },
          { field: 'created_at', op: 'between', value: ['2026-01-01T00:00:00+08:00', '2026-06-30T23:59:00+08:00'] },
          { field: 'name', op: 'in', value: ['新时代', '华远', '北京', '上海'] },
          // Not a number: passed on for the engine to say so at this condition.
          { field: 'credit_limit', op: 'eq', value: 'abc' },
          { field: 'name', op: 'is_empty' },
        ],
      },
      missing: new Map(),
    });
  });

  it('says which conditions are not filled in, and makes no filter of an empty builder', () => {
    const root: BuilderGroup = {
      type: 'group', id: 'r', mode: 'and', children: [
        { type: 'condition', id: 'a', field: '', op: '', value: '' },
        { type: 'condition', id: 'b', field: 'level', op: '', value: '' },
        { type: 'condition', id: 'c', field: 'level', op: 'eq', value: '' },
        { type: 'condition', id: 'd', field: 'level', op: 'in', value: [] },
        { type: 'condition', id: 'e', field: 'credit_limit', op: 'between', value: ['1', ' '] },
      ],
    };
    const { missing } = builderToTree(root, fields, texts);
    expect([...missing]).toEqual([['a', 'field?'], ['b', 'op?'], ['c', 'value?'], ['d', 'value?'], ['e', 'value?']]);
    expect(builderToTree({ type: 'group', id: 'r', mode: 'or', children: [{ type: 'group', id: 'x', mode: 'and', children: [] }] }, fields, texts).tree).toBeUndefined();
  });

  it('keeps what fits of a value when the operator changes', () => {
    const level = fields[1];
    const name = fields[0];
    expect(valueForOp('A', 'in', level)).toEqual(['A']);
    expect(valueForOp(['A', 'VIP'], 'eq', level)).toBe('A');
    expect(valueForOp('甲', 'in', name)).toBe('甲');
    expect(valueForOp(['甲', '乙'], 'in', name)).toBe('甲, 乙');
    expect(valueForOp('5', 'between', fields[2])).toEqual(['5', '']);
    expect(valueForOp(['1', '2'], 'gte', fields[2])).toBe('1');
  });

  it('shows moments on the workspace\'s clock and reads them back with its zone', () => {
    expect(localMoment('2026-03-01T16:30:00Z')).toBe('2026-03-02T00:30');
    expect(isoMoment('2026-03-02T00:30')).toBe('2026-03-02T00:30:00+08:00');
    expect(Date.parse(isoMoment(localMoment('2026-03-01T16:30:00.000Z')))).toBe(Date.parse('2026-03-01T16:30:00Z'));
    expect(inputOf('2026-03-01T16:30:00Z', 'gte', fields[4])).toBe('2026-03-02T00:30');
  });

  it('splits typed lists at Chinese and Latin commas and line breaks', () => {
    expect(splitList(' a, b，c、d\ne ,, ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(scalarOf('  ', fields[0])).toBeUndefined();
    expect(scalarOf(' 12.5 ', fields[2])).toBe(12.5);
    expect(scalarOf('true', fields[3])).toBe(true);
  });

  it('changes and removes nodes by id without touching the rest', () => {
    const root = treeToBuilder({ and: [{ field: 'level', op: 'eq', value: 'A' }, { or: [{ field: 'name', op: 'is_empty' }] }] }, fields);
    const [first, group] = root.children as [BuilderCondition, BuilderGroup];
    const changed = updateNode(root, first.id, (n) => ({ ...(n as BuilderCondition), value: 'VIP' }));
    expect((changed.children[0] as BuilderCondition).value).toBe('VIP');
    expect(changed.children[1]).toBe(group);
    expect((root.children[0] as BuilderCondition).value).toBe('A');
    const removed = updateNode(root, group.children[0]!.id, () => undefined);
    expect((removed.children[1] as BuilderGroup).children).toEqual([]);
  });

  it('shows each engine problem at its condition, group problems at the group, and the rest above the builder', () => {
    const root = treeToBuilder({ and: [{ field: 'level', op: 'contains', value: 'A' }, { or: [{ field: 'nope', op: 'eq', value: 1 }] }] }, fields);
    const problems = [
      { path: '/and/0/op', message: 'op' },
      { path: '/and/1/or/0/field', message: 'field' },
      { path: '/and', message: 'group' },
      { path: '/and/7', message: 'gone' },
    ];
    const [level, group] = root.children as [BuilderCondition, BuilderGroup];
    expect(nodeProblems(problems, level).map((p) => p.message)).toEqual(['op']);
    expect(nodeProblems(problems, group.children[0]!).map((p) => p.message)).toEqual(['field']);
    expect(nodeProblems(problems, root).map((p) => p.message)).toEqual(['group']);
    expect(nodeProblems(problems, group)).toEqual([]);
    expect(unplacedProblems(problems, root).map((p) => p.message)).toEqual(['gone']);
  });
});
