import type { Locale } from '../text/index.ts';

/**
 * What the browser knows about a record form: everything here is plain JSON made by the loader
 * (app/forms/spec.server.ts) from the entity, its layout and the person's field permissions, so
 * the client bundle never needs the metadata model, the engine's validator or the region table.
 */

/** One option of a select or multiselect field, in the person's language. */
export interface ChoiceSpec {
  value: string;
  label: string;
  color?: string;
}

export type RegionLevel = 'province' | 'city' | 'district';

/** One field as the form shows it. */
export interface FieldSpec {
  name: string;
  /** The Forma field type (`text`, `money`, `lookup`, `formula`, `lines`…). */
  type: string;
  label: string;
  help?: string;
  /** A new record must have it (shown with an asterisk; the server checks it). */
  required: boolean;
  /** Shown, never sent: formulas, numbers the rule draws, fields the person's roles make read-only. */
  readOnly: boolean;
  /** The field's default, filled into new records (and new line rows) as the engine would. */
  default?: unknown;
  choices?: ChoiceSpec[];
  currency?: string;
  scale?: number;
  /** lookup: the entity it points to. */
  target?: string;
  /** region: how deep the pick goes. */
  level?: RegionLevel;
  /** autonumber: staff may type a number by hand (the rule's `allowManual`). */
  manual?: boolean;
  /** formula: its expression and result type. */
  expression?: string;
  resultType?: string;
  /** formula: every field it reads is in the form, so the browser can compute it as the engine will. */
  live?: boolean;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** lines: the child entity and the fields of its rows the person sees. */
  lines?: { entity: string; label: string; fields: FieldSpec[] };
  /** file: whether several files may be attached, and the size limit of each, in MB. */
  multiple?: boolean;
  maxSizeMb?: number;
}

/** Where a field sits in a section of the layout. */
export interface PlacementSpec {
  name: string;
  span: number;
  /** JSON Schema the record must satisfy for the field to show (layout `visibleWhen`). */
  visibleWhen?: Record<string, unknown>;
  /** JSON Schema the record must satisfy for the field to be required (layout `requiredWhen`; the engine holds writes to it too). */
  requiredWhen?: Record<string, unknown>;
  /** Read-only in this layout. */
  readOnly?: boolean;
}

export interface SectionSpec {
  name: string;
  label: string;
  columns: number;
  tab?: string;
  fields: PlacementSpec[];
}

export interface TabSpec {
  name: string;
  label: string;
}

/** The form of one entity for one person: fields by name (entity order), the layout's sections and tabs. */
export interface FormSpec {
  entity: string;
  entityLabel: string;
  fields: Record<string, FieldSpec>;
  sections: SectionSpec[];
  tabs: TabSpec[];
  /** Fields the duplicate check (查找相似) reads: searchable text fields and phone fields. */
  similarFields: string[];
}

/** A place of the region cascade. */
export interface RegionPlace {
  code: string;
  name: string;
}

/** What the form's widgets share, through rjsf's formContext. */
export interface FormContext {
  locale: Locale;
  timeZone: string;
  /** Names of records lookups point to, by `entity:id`; pickers add what they find. */
  labels: Map<string, string>;
  /** Places one step below a code ('' for the provinces), as far as they were loaded. */
  regions: Map<string, RegionPlace[]>;
  /** Each known place's codes from its province down to itself. */
  regionPaths: Map<string, string[]>;
  /** Names of users, by id. */
  users: Map<string, string>;
  me: { id: string; name: string };
  /** The people a user field may be set to (when the person may change one). */
  members: { id: string; name: string }[];
  isNew: boolean;
  csrfToken: string;
  /** The entity of the record being edited (uploads name it). */
  entity: string;
}

/** A record being edited as the form holds it: field values, and `_key` on line rows (their drag identity). */
export type FormValues = Record<string, unknown>;
