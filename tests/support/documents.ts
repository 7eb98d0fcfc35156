/** Small builders for metadata documents in tests: a label in both languages, entities, fields. */
export const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export type FieldSpec = Record<string, unknown> & { type: string };

export function field(spec: FieldSpec, schema: Record<string, unknown> = {}) {
  const { type, ...options } = spec;
  return { ...schema, 'x-forma': { type, label: L(`字段${type}`, `Field ${type}`), ...options } };
}

export function entity(name: string, properties: Record<string, unknown>, extra: { required?: string[]; options?: Record<string, unknown> } = {}) {
  return {
    kind: 'entity',
    name,
    label: L(`实体${name}`, `Entity ${name}`),
    schema: {
      type: 'object',
      properties,
      ...(extra.required ? { required: extra.required } : {}),
      ...(extra.options ? { 'x-forma': extra.options } : {}),
    },
  };
}

export const inputs = (...documents: unknown[]) => documents.map((document) => ({ document }));
