/**
 * What Forma knows about one field type: the JSON Schema keywords every field of the type has,
 * the column that stores it, and what it can be (searchable, filterable, unique). One module per
 * type, gathered in `registry.ts`; the options an admin may set per type are described by the
 * entity meta-schema (`engine/metadata/schemas/entity.schema.json`).
 */
export interface FieldType {
  readonly name: string;
  /** Keywords the field's JSON Schema must have exactly (filled in when the author leaves them out). */
  fixedSchema(options: FieldOptions): Record<string, unknown>;
  /** Keywords filled in when left out, which the author may set otherwise (e.g. a longer maxLength). */
  defaultSchema?(options: FieldOptions): Record<string, unknown>;
  /** The column storing the field, or null when the field has no column of its own (`lines`). */
  column(options: FieldOptions): ColumnType | null;
  /** Quick search over it with a trigram index (text-like types only). */
  readonly searchable?: boolean;
  /** Filtering and sorting on it with a B-tree (or GIN, for arrays) index. */
  readonly filterable?: boolean;
  /** A unique index on it. */
  readonly unique?: boolean;
  /** What to tell a person whose value misses the type's own `pattern` (a regex means nothing to staff). */
  readonly patternMessage?: { 'zh-CN': string; en: string };
}

/** The `x-forma` object of a field definition (validated by the entity meta-schema first). */
export interface FieldOptions {
  type: string;
  label: Record<string, string>;
  help?: Record<string, string>;
  column?: string;
  searchable?: boolean;
  filterable?: boolean;
  unique?: boolean;
  archived?: boolean;
  scale?: number;
  currency?: string;
  options?: { value: string; label: Record<string, string>; color?: string; probability?: number; closed?: boolean }[];
  target?: string;
  entity?: string;
  numbering?: string;
  expression?: string;
  resultType?: string;
  level?: string;
  multiple?: boolean;
  maxSizeMb?: number;
}

/**
 * Column types Forma creates: a closed set, so a type never comes from a document as text.
 * `numeric` carries its scale; precision is fixed at 18 digits.
 */
export type ColumnType =
  | { sql: 'text' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'uuid' | 'jsonb' | 'text[]' }
  | { sql: 'numeric'; scale: number };

export const NUMERIC_PRECISION = 18;

export function sameColumnType(a: ColumnType | null, b: ColumnType | null): boolean {
  if (a === null || b === null) return a === b;
  return a.sql === b.sql && (a.sql !== 'numeric' || a.scale === (b as { scale: number }).scale);
}

/** How the column type is written in DDL and casts, e.g. `numeric(18, 2)`. */
export function columnTypeSql(type: ColumnType): string {
  return type.sql === 'numeric' ? `numeric(${NUMERIC_PRECISION}, ${type.scale})` : type.sql;
}

/** A text field of some flavour: string, a length limit and maybe a format or pattern. */
export function textType(
  name: string,
  spec: {
    maxLength: number; format?: string; pattern?: string; searchable?: boolean; unique?: boolean;
    patternMessage?: { 'zh-CN': string; en: string };
  },
): FieldType {
  return {
    name,
    ...(spec.patternMessage ? { patternMessage: spec.patternMessage } : {}),
    fixedSchema: () => ({
      type: 'string',
      ...(spec.format ? { format: spec.format } : {}),
      ...(spec.pattern ? { pattern: spec.pattern } : {}),
    }),
    defaultSchema: () => ({ maxLength: spec.maxLength }),
    column: () => ({ sql: 'text' }),
    searchable: spec.searchable ?? true,
    filterable: true,
    unique: spec.unique ?? true,
  };
}

/** A decimal number stored as numeric(18, scale): decimal, money and percent. */
export function numericType(name: string, defaultScale: number): FieldType {
  return {
    name,
    fixedSchema: () => ({ type: 'number' }),
    column: (o) => ({ sql: 'numeric', scale: o.scale ?? defaultScale }),
    filterable: true,
    unique: true,
  };
}
