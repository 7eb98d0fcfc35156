import type jsep from 'jsep';
import { formulaOrder } from '../formula/order.ts';
import { parseFormula } from '../formula/expression.ts';
import { lineParentsOf } from '../metadata/check-model.ts';
import type { FieldDefinition, Model } from '../metadata/model.ts';
import { entityTable, type ColumnField, type EntityTable } from './entity-table.ts';
import { createRecordValidator, type RecordValidator } from './record-validator.ts';

/** A formula field ready to evaluate: its parsed tree and what it stores. */
export interface CompiledFormula {
  field: string;
  tree: jsep.Expression;
  resultType: 'text' | 'integer' | 'decimal' | 'money' | 'percent' | 'date' | 'boolean';
  scale: number;
}

/** A lookup field and how to show the record it points to. */
export interface LookupDisplay {
  field: string;
  column: string;
  target: EntityTable;
  /** The target's column naming a record, when it has one. */
  displayColumn?: string;
}

/** Everything the records engine needs about one entity at one metadata version. */
export interface EntityRuntime {
  table: EntityTable;
  validator: RecordValidator;
  /** Formula fields in the order they must be computed. */
  formulas: CompiledFormula[];
  lookups: LookupDisplay[];
  /** The runtime of each `lines` field's child entity. */
  children: ReadonlyMap<string, EntityRuntime>;
  /** Whether the entity holds the rows of another's `lines` field (written only through it). */
  isLineEntity: boolean;
  /** The field that names a record (its display field, or its first text-like field). */
  display?: ColumnField;
}

const runtimes = new WeakMap<Model, Map<string, EntityRuntime>>();

/**
 * The compiled runtime of an active entity for a model, built once and kept with the model
 * (a new metadata version is a new model object, so nothing stale survives it).
 *
 * @example const customers = entityRuntime(model, 'main', 'customer'); customers.validator.check(input, 'create')
 */
export function entityRuntime(model: Model, workspace: string, name: string): EntityRuntime {
  let perModel = runtimes.get(model);
  if (!perModel) runtimes.set(model, (perModel = new Map()));
  let runtime = perModel.get(name);
  if (!runtime) {
    runtime = compile(model, workspace, name);
    perModel.set(name, runtime);
  }
  return runtime;
}

function compile(model: Model, workspace: string, name: string): EntityRuntime {
  const table = entityTable(model, workspace, name);
  const fields = Object.fromEntries([...table.fields].map(([n, f]) => [n, f.definition]));
  const order = formulaOrder(fields);
  // Metadata validation refuses cycles before they are stored; an order is always there.
  const formulas = (order.ok ? order.order : []).map((field) => compileFormula(field, fields[field]!));
  const lookups = [...table.fields.values()]
    .filter((f) => f.definition['x-forma'].type === 'lookup')
    .map((f) => {
      const target = entityTable(model, workspace, f.definition['x-forma'].target!);
      return { field: f.name, column: f.column, target, displayColumn: displayField(target)?.column };
    });
  const children = new Map([...table.lines].map(([field, child]) => [field, entityRuntime(model, workspace, child)]));
  const isLineEntity = lineParentsOf(model).has(name);
  return { table, validator: createRecordValidator(model, table.entity), formulas, lookups, children, isLineEntity, display: displayField(table) };
}

function compileFormula(field: string, definition: FieldDefinition): CompiledFormula {
  const options = definition['x-forma'];
  const parsed = parseFormula(options.expression!);
  if (!parsed.ok) throw new Error(`formula ${field} does not parse`); // refused by validation first
  return { field, tree: parsed.tree, resultType: options.resultType as CompiledFormula['resultType'], scale: options.scale ?? 2 };
}

/** The entity's display field, or its first text-like field: what names a record in a lookup. */
function displayField(table: EntityTable): ColumnField | undefined {
  const chosen = table.entity.schema['x-forma']?.displayField;
  return chosen ? table.fields.get(chosen)
    : [...table.fields.values()].find((f) => ['text', 'autonumber', 'email', 'phone'].includes(f.definition['x-forma'].type));
}
