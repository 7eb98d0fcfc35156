import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import localize from 'ajv-i18n';
import type { Problem } from '../errors.ts';
import { problem } from '../errors.ts';

/**
 * An ajv for draft 2020-12 in strict mode, reporting every error, with formats and Forma's
 * `x-forma` vocabulary registered (an annotation: it carries Forma's options and validates
 * nothing by itself), so the same documents work as record schemas and stay strict.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
  addFormats.default(ajv);
  ajv.addVocabulary(['x-forma']);
  return ajv;
}

/** Turns ajv's errors into problems with a JSON Pointer and the message in zh-CN and en. */
export function schemaProblems(errors: ErrorObject[] | null | undefined, source?: string): Problem[] {
  if (!errors?.length) return [];
  const chinese = structuredClone(errors);
  localize.zh(chinese);
  // A bad property name comes twice: the failed check (carrying `propertyName`) and a
  // `propertyNames` wrapper that says nothing more. Keep the first, pointed at the name itself.
  return errors.flatMap((error, i) => {
    if (error.keyword === 'propertyNames') return [];
    const params = error.params as Record<string, unknown>;
    const unknown = params.additionalProperty ?? params.unevaluatedProperty ?? error.propertyName;
    const where = unknown === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(String(unknown))}`;
    const detail = describe(error);
    return [problem('schema_violation', where, {
      zh: `${chinese[i]?.message ?? error.message}${detail}`,
      en: `${error.message}${detail}`,
    }, source)];
  });
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum') return `: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'const') return `: ${JSON.stringify(params.allowedValue)}`;
  return '';
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
