import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// A layout's conditions (`visibleWhen`, `requiredWhen`) are JSON Schema on the record: checked
// here when a layout is saved (engine/metadata/check-model.ts), compiled by the records engine
// to hold writes to them (engine/records/layout-rules.ts).

/**
 * The ajv conditions run on: draft 2020-12 with formats, strict about unknown keywords like the
 * rest of Forma, but not demanding `type: "object"` beside `properties`/`required` (a condition
 * is always read against a record, an object) — the standard template writes conditions so.
 */
export function createConditionAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false });
  addFormats.default(ajv);
  return ajv;
}

const conditionAjv = createConditionAjv();

/**
 * Why a layout condition (`visibleWhen`, `requiredWhen`) is not a JSON Schema the engine can
 * use — ajv's message — or undefined when it compiles.
 *
 * @example conditionError({ properties: { stage: { const: 'lost' } }, required: ['stage'] }) // undefined
 * @example conditionError({ type: 'boolan' }) // 'schema is invalid: data/type must be equal to one of the allowed values, …'
 */
export function conditionError(condition: unknown): string | undefined {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return 'not an object';
  try {
    conditionAjv.compile(condition);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    // Checked, not kept: a designer checks a new object at every keystroke.
    conditionAjv.removeSchema(condition);
  }
}

