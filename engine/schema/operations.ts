import type { Problem } from '../errors.ts';
import type { LocalizedText } from '../i18n/text.ts';
import type { ColumnShape, ForeignKeyShape, IndexShape } from './physical.ts';
import type { ColumnType } from '../field-types/field-type.ts';

/**
 * How much an operation can hurt: `safe` changes no data; `checked` is safe only because the
 * data was checked first (the plan refuses while the check fails); `destructive` drops data and
 * runs only when explicitly allowed (purges).
 */
export type Risk = 'safe' | 'checked' | 'destructive';

/** The result of a data check: how many rows stand in the way, and what to tell the admin. */
export interface DataCheck {
  passed: boolean;
  count: number;
  problem?: Problem;
}

export type Step =
  | { op: 'createSchema'; schema: string }
  | { op: 'createTable'; table: string; columns: ColumnShape[]; lineOf?: string; hasState: boolean }
  | { op: 'addLineColumns'; table: string; parent: string }
  | { op: 'addStateColumn'; table: string }
  | { op: 'addColumn'; table: string; column: ColumnShape; backfill?: unknown }
  | { op: 'alterColumnType'; table: string; column: string; from: ColumnType; to: ColumnType }
  | { op: 'setNotNull' | 'dropNotNull'; table: string; column: string }
  | { op: 'createIndex'; table: string; index: IndexShape }
  | { op: 'dropIndex'; table: string; index: IndexShape }
  | { op: 'addForeignKey'; table: string; foreignKey: ForeignKeyShape }
  | { op: 'dropForeignKey'; table: string; foreignKey: ForeignKeyShape }
  | { op: 'dropColumn'; table: string; column: string }
  | { op: 'dropTable'; table: string }
  | { op: 'checkData'; table: string; column: string }
  | { op: 'archiveField' | 'restoreField'; table: string; field: string }
  | { op: 'saveDocument'; kind: string; name: string; change: 'create' | 'update' | 'archive' | 'restore' | 'remove' };

/** One step of a plan, with its risk, a summary for the admin, and its data check if it needs one. */
export type Operation = Step & { risk: Risk; summary: LocalizedText; check?: DataCheck };
export type OperationType = Operation['op'];
