import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldTypes } from '../../engine/field-types/registry.ts';
import { metaSchemas } from '../../engine/metadata/kinds.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const fixtures = join(import.meta.dirname, '../fixtures/metadata');
const read = (dir: string) =>
  readdirSync(join(fixtures, dir)).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(fixtures, dir, f), 'utf8'))] as const);

/** Every problem as `code path`, for exact comparisons. */
const problemsOf = (...documents: unknown[]) =>
  validateDocuments(inputs(...documents)).problems.map((p) => `${p.code} ${p.path}`);

describe('meta-schemas of every kind', () => {
  it('lists the same field types as the registry', () => {
    const names = metaSchemas.entity.$defs.fieldOptions.properties.type.enum;
    expect([...names].sort()).toEqual([...fieldTypes.keys()].sort());
  });

  // Fixture documents reference entities defined elsewhere, so only the meta-schema stage is
  // asserted here: no problem may be a schema violation.
  it.each(read('valid'))('accepts valid fixture %s', (_name, document) => {
    const violations = validateDocuments(inputs(document)).problems.filter((p) => p.code === 'schema_violation');
    expect(violations).toEqual([]);
  });

  it.each(read('invalid'))('refuses invalid fixture %s at exactly the expected places', (_name, fixture) => {
    const { problems } = validateDocuments(inputs(fixture.document));
    expect(problems.length).toBeGreaterThan(0);
    // The fixtures list ajv's instancePaths; Forma points one level deeper at an unknown or
    // badly named property (the property itself), so a path may extend an expected one by a segment.
    const expected = fixture.errors as string[];
    const matches = (path: string, e: string) => path === e || (path.startsWith(`${e}/`) && !path.slice(e.length + 1).includes('/'));
    for (const p of problems) expect(expected.some((e) => matches(p.path, e)), p.path).toBe(true);
    for (const e of expected) expect(problems.some((p) => matches(p.path, e)), e).toBe(true);
    for (const p of problems) {
      expect(p.message['zh-CN']).not.toBe('');
      expect(p.message.en).not.toBe('');
    }
  });
});

describe('entity documents', () => {
  const customer = entity('customer', {
    name: field({ type: 'text', searchable: true }),
    phone: field({ type: 'phone', filterable: true }),
    level: field({ type: 'select', options: [{ value: 'A', label: L('A 类', 'A') }, { value: 'B', label: L('B 类', 'B') }] }),
  }, { required: ['name'] });

  it('fills in the JSON Schema keywords each field type implies, and closes the record', () => {
    const { documents, problems } = validateDocuments(inputs(customer));
    expect(problems).toEqual([]);
    const schema = (documents[0] as any).schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.name).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.phone).toMatchObject({ type: 'string', maxLength: 40 });
    expect(schema.properties.level).toMatchObject({ type: 'string', enum: ['A', 'B'] });
    // Normalising twice changes nothing, down to the order of keys.
    expect(JSON.stringify(validateDocuments(inputs(documents[0])).documents[0])).toBe(JSON.stringify(documents[0]));
  });

  it('accepts every field type with its options', () => {
    const all = entity('everything', {
      t: field({ type: 'text' }), ta: field({ type: 'textarea' }), rt: field({ type: 'richtext' }),
      i: field({ type: 'integer' }), d: field({ type: 'decimal', scale: 4 }), m: field({ type: 'money', currency: 'CNY' }),
      p: field({ type: 'percent' }), b: field({ type: 'boolean' }), da: field({ type: 'date' }), dt: field({ type: 'datetime' }),
      s: field({ type: 'select', options: [{ value: 'x', label: L('甲', 'X'), color: '#ff0000' }] }),
      ms: field({ type: 'multiselect', options: [{ value: 'x', label: L('甲', 'X') }] }),
      e: field({ type: 'email' }), ph: field({ type: 'phone' }), u: field({ type: 'url' }),
      lk: field({ type: 'lookup', target: 'everything' }), ln: field({ type: 'lines', entity: 'everything_line' }),
      an: field({ type: 'autonumber', numbering: 'everything_no' }),
      f: field({ type: 'formula', expression: 'round(i * m * (1 - p / 100), 2) + sum(ln.amount)', resultType: 'money' }),
      rg: field({ type: 'region', level: 'district' }), us: field({ type: 'user' }), fi: field({ type: 'file', multiple: true }),
    });
    const line = entity('everything_line', { amount: field({ type: 'money' }) });
    const numbering = { kind: 'numbering', name: 'everything_no', label: L('编号', 'Number'), pattern: 'EV{YYYY}-{####}', reset: 'yearly' };
    expect(problemsOf(all, line, numbering)).toEqual([]);
  });

  it.each([
    ['quotes and spaces', "customer'; drop table x; --"],
    ['SQL', 'customer; drop table x'],
    ['upper case', 'Customer'],
    ['a leading digit', '1customer'],
    ['Chinese', '客户'],
    ['49 characters', 'a'.repeat(49)],
  ])('refuses an entity name with %s', (_case, name) => {
    expect(problemsOf({ ...customer, name })).toEqual(['schema_violation /name']);
  });

  it('refuses injection attempts in field names, columns and select values', () => {
    const bad = entity('customer', {
      'name"; drop table x; --': field({ type: 'text' }),
      ok: field({ type: 'text', column: 'x" text); drop table y; --' }),
      level: field({ type: 'select', options: [{ value: "a'); delete from t; --", label: L('甲', 'A') }] }),
    });
    expect(problemsOf(bad).sort()).toEqual([
      'schema_violation /schema/properties/level/x-forma/options/0/value',
      'schema_violation /schema/properties/name"; drop table x; --',
      'schema_violation /schema/properties/ok/x-forma/column',
    ]);
  });

  it('refuses reserved words and system column names', () => {
    const bad = entity('select', {
      order: field({ type: 'text' }),
      version: field({ type: 'integer' }),
      owner: field({ type: 'text', column: 'created_at' }),
    });
    expect(problemsOf(bad).sort()).toEqual([
      'name_reserved /name',
      'name_reserved /schema/properties/order',
      'name_reserved /schema/properties/order/x-forma/column',
      'name_system_column /schema/properties/owner/x-forma/column',
      'name_system_column /schema/properties/version',
      'name_system_column /schema/properties/version/x-forma/column',
    ]);
  });

  it('lets one user field stand for the record owner (owner_id), and nothing else', () => {
    const owner = (type: string, column = 'owner_id') => field({ type, column, label: L('负责人', 'Owner') });
    expect(problemsOf(entity('customer', { name: field({ type: 'text' }), owner: owner('user') }))).toEqual([]);
    expect(problemsOf(entity('customer', { owner: owner('text') }))).toEqual(['name_system_column /schema/properties/owner/x-forma/column']);
    expect(problemsOf(entity('customer', { owner: owner('user', 'created_by') }))).toEqual(['name_system_column /schema/properties/owner/x-forma/column']);
    expect(problemsOf(entity('customer', { owner: owner('user'), manager: owner('user') })))
      .toEqual(['column_duplicate /schema/properties/manager/x-forma/column']);
  });

  it('refuses lookups to unknown entities, missing line entities, unknown numbering rules', () => {
    const bad = entity('quote', {
      customer: field({ type: 'lookup', target: 'customer' }),
      lines: field({ type: 'lines', entity: 'quote_line' }),
      number: field({ type: 'autonumber', numbering: 'quote_no' }),
    });
    expect(problemsOf(bad).sort()).toEqual([
      'document_unknown /schema/properties/number/x-forma/numbering',
      'entity_unknown /schema/properties/customer/x-forma/target',
      'entity_unknown /schema/properties/lines/x-forma/entity',
    ]);
  });

  it('refuses a lookup to an archived entity and a lines field on its own entity', () => {
    const archived = entity('old_customer', { name: field({ type: 'text' }) }, { options: { archived: true } });
    const bad = entity('quote', {
      customer: field({ type: 'lookup', target: 'old_customer' }),
      lines: field({ type: 'lines', entity: 'quote' }),
    });
    expect(problemsOf(archived, bad).sort()).toEqual([
      'entity_archived /schema/properties/customer/x-forma/target',
      'lines_self /schema/properties/lines/x-forma/entity',
    ]);
  });

  it('refuses one child entity holding the lines of two parents', () => {
    const line = entity('line', { qty: field({ type: 'integer' }) });
    const quote = entity('quote', { lines: field({ type: 'lines', entity: 'line' }) });
    const order = entity('sales_order', { lines: field({ type: 'lines', entity: 'line' }) });
    expect(problemsOf(line, quote, order)).toEqual(['lines_shared /schema/properties/lines/x-forma/entity']);
  });

  it('refuses duplicate documents, duplicate columns and duplicate option values', () => {
    const twoColumns = entity('customer', {
      name: field({ type: 'text' }),
      alias: field({ type: 'text', column: 'name' }),
      level: field({ type: 'select', options: [{ value: 'A', label: L('甲', 'A') }, { value: 'A', label: L('乙', 'B') }] }),
    });
    expect(problemsOf(twoColumns, customer).sort()).toEqual([
      'column_duplicate /schema/properties/alias/x-forma/column',
      'document_duplicate /name',
      'option_duplicate /schema/properties/level/x-forma/options/1/value',
    ]);
  });

  it('refuses select fields with no options, and unknown field types and options', () => {
    const bad = entity('customer', {
      level: field({ type: 'select', options: [] }),
      tags: field({ type: 'multiselect' }),
      misc: field({ type: 'blob' }),
      name: field({ type: 'text', colour: 'red' }),
    });
    expect(problemsOf(bad).sort()).toEqual([
      'schema_violation /schema/properties/level/x-forma/options',
      'schema_violation /schema/properties/misc/x-forma',
      'schema_violation /schema/properties/misc/x-forma/type',
      'schema_violation /schema/properties/name/x-forma/colour',
      'schema_violation /schema/properties/tags/x-forma',
    ]);
  });

  it('refuses keywords that contradict the field type, options the type cannot have, bad defaults', () => {
    expect(problemsOf(entity('customer', { phone: field({ type: 'phone' }, { type: 'integer' }) })))
      .toEqual(['field_schema_conflict /schema/properties/phone/type']);
    const bad = entity('customer', {
      active: field({ type: 'boolean', searchable: true }),
      notes: field({ type: 'textarea', unique: true }),
      level: field({ type: 'select', options: [{ value: 'A', label: L('甲', 'A') }] }, { default: 'Z' }),
    }, { required: ['missing'] });
    expect(problemsOf(bad).sort()).toEqual([
      'default_invalid /schema/properties/level/default',
      'field_option_unsupported /schema/properties/active/x-forma/searchable',
      'field_option_unsupported /schema/properties/notes/x-forma/unique',
      'required_unknown /schema/required/0',
    ]);
  });

  it('checks formulas: syntax, functions, and that every field they read exists and is active', () => {
    const line = entity('quote_line', { amount: field({ type: 'money' }) });
    const quote = (expression: string) => entity('quote', {
      discount: field({ type: 'percent' }),
      old: field({ type: 'money', archived: true }),
      lines: field({ type: 'lines', entity: 'quote_line' }),
      total: field({ type: 'formula', expression, resultType: 'money' }),
    });
    expect(problemsOf(line, quote('sum(lines.amount) * (1 - discount / 100)'))).toEqual([]);
    for (const [expression, code] of [
      ['sum(lines.amount', 'formula_syntax'],
      ['eval(discount)', 'formula_function'],
      ['round()', 'formula_arity'],
      ['discount.x', 'formula_unsupported'],
      ['constructor', 'formula_reference'],
      ['old * 2', 'formula_reference'],
      ['sum(lines.price)', 'formula_reference'],
      ['total + 1', 'formula_self'],
      ['sum(discount)', 'formula_unsupported'],
      ['sum(max(lines.amount))', 'formula_unsupported'],
    ] as const) {
      expect(problemsOf(line, quote(expression)), expression).toEqual([`${code} /schema/properties/total/x-forma/expression`]);
    }
  });

  it('refuses formulas that refer to each other in a circle', () => {
    const circular = entity('quote', {
      a: field({ type: 'formula', expression: 'b + 1', resultType: 'decimal' }),
      b: field({ type: 'formula', expression: 'c * 2', resultType: 'decimal' }),
      c: field({ type: 'formula', expression: 'a', resultType: 'decimal' }),
    });
    const { problems } = validateDocuments(inputs(circular));
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual(['formula_cycle /schema/properties/a/x-forma/expression']);
    expect(problems[0]!.message.en).toContain('a → b → c → a');
  });

  it('gives every problem in both languages, and reports all documents at once', () => {
    const { problems } = validateDocuments(inputs(
      { kind: 'gadget', name: 'x', label: L('x', 'x') },
      'not an object',
      entity('quote', { customer: field({ type: 'lookup', target: 'nobody' }) }),
    ));
    expect(problems.map((p) => p.code)).toEqual(['kind_unknown', 'document_not_object', 'entity_unknown']);
    for (const p of problems) expect(p.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('references from other kinds', () => {
  const customer = entity('customer', {
    name: field({ type: 'text' }),
    wechat: field({ type: 'text', archived: true }),
  });

  it('refuses a layout naming an archived or unknown field, and a list view on an unknown entity', () => {
    const layout = {
      kind: 'layout', name: 'customer_form', label: L('客户表单', 'Customer form'), entity: 'customer',
      sections: [{ name: 'main', label: L('基本', 'Main'), columns: 2, fields: ['name', 'wechat', { field: 'nothing' }] }],
    };
    const list = { kind: 'listView', name: 'ghosts', label: L('幽灵', 'Ghosts'), entity: 'ghost', columns: [{ field: 'name' }] };
    expect(problemsOf(customer, layout, list).sort()).toEqual([
      'entity_unknown /entity',
      'field_archived /sections/0/fields/1',
      'field_unknown /sections/0/fields/2/field',
    ]);
  });
});

describe('list view sorting', () => {
  const account = entity('account', { name: field({ type: 'text' }) });
  const customer = entity('customer', {
    name: field({ type: 'text' }),
    notes: field({ type: 'textarea' }),
    tags: field({ type: 'multiselect', options: [{ value: 'vip', label: L('重要', 'VIP') }] }),
    account: field({ type: 'lookup', target: 'account' }),
  });
  const view = (...sort: string[]) => ({
    kind: 'listView', name: 'customer_all', label: L('全部客户', 'All customers'), entity: 'customer',
    columns: [{ field: 'name' }], defaultSort: sort.map((f) => ({ field: f, direction: 'asc' })),
  });

  it('sorts by fields records can be sorted by: their own, one lookup away, and the system fields', () => {
    expect(problemsOf(account, customer, view('name', 'account.name', 'created_at'))).toEqual([]);
  });

  it('refuses a default sort by a long text or a multiselect, at the sort key', () => {
    expect(problemsOf(account, customer, view('name', 'notes', 'tags')).sort()).toEqual([
      'query_field_unsortable /defaultSort/1/field',
      'query_field_unsortable /defaultSort/2/field',
    ]);
  });
});

describe('workflows', () => {
  const order = entity('sales_order', { total: field({ type: 'money' }) });
  const state = (name: string, initial?: boolean) => ({ name, label: L(name, name), ...(initial ? { initial } : {}) });
  const workflow = (states: unknown[], transitions: unknown[]) => ({
    kind: 'workflow', name: 'order_flow', label: L('销售单流程', 'Order flow'), entity: 'sales_order', states, transitions,
  });

  it('accepts new → review → deliver', () => {
    const flow = workflow([state('draft', true), state('reviewed'), state('delivered')], [
      { name: 'review', label: L('审核', 'Review'), from: ['draft'], to: 'reviewed' },
      { name: 'deliver', label: L('送货', 'Deliver'), from: ['reviewed'], to: 'delivered' },
    ]);
    expect(problemsOf(order, flow)).toEqual([]);
  });

  it('needs exactly one initial state, unique names and transitions between known states', () => {
    const flow = workflow([state('draft'), state('draft'), state('done')], [
      { name: 'finish', label: L('完成', 'Finish'), from: ['draft', 'limbo'], to: 'nowhere' },
    ]);
    expect(problemsOf(order, flow).sort()).toEqual([
      'name_duplicate /states/1/name',
      'workflow_initial /states',
      'workflow_state_unknown /transitions/0/from/1',
      'workflow_state_unknown /transitions/0/to',
    ]);
  });
});

describe('numbering rules', () => {
  const rule = (pattern: string, reset: string) => ({ kind: 'numbering', name: 'so_no', label: L('销售单号', 'Order number'), pattern, reset });

  it.each([
    ['SO{YYYY}{MM}-{####}', 'monthly'], ['KH{YYYY}-{#####}', 'yearly'], ['{YY}{MM}{DD}{###}', 'daily'], ['PO-{######}', 'never'],
  ])('accepts %s reset %s', (pattern, reset) => {
    expect(problemsOf(rule(pattern, reset))).toEqual([]);
  });

  it.each([
    ['SO-{####}', 'yearly'], ['SO{YYYY}-{####}', 'monthly'], ['SO{MM}{DD}-{####}', 'daily'],
  ])('refuses %s reset %s: its numbers would repeat', (pattern, reset) => {
    expect(problemsOf(rule(pattern, reset))).toEqual(['numbering_reset_tokens /pattern']);
  });

  it('refuses patterns without exactly one sequence token', () => {
    expect(problemsOf(rule('SO{YYYY}', 'never'))).toEqual(['schema_violation /pattern']);
    expect(problemsOf(rule('SO{###}-{###}', 'never'))).toEqual(['schema_violation /pattern']);
  });
});

describe('reading files', () => {
  it('reports malformed JSON with its line and column', async () => {
    const { problems } = await loadDocuments(join(fixtures, '../malformed/broken.json'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'json_malformed' });
    expect(problems[0]!.message.en).toContain('line 3');
  });

  it('reports a missing file', async () => {
    const { problems } = await loadDocuments('/nonexistent/forma.json');
    expect(problems.map((p) => p.code)).toEqual(['file_unreadable']);
  });
});
