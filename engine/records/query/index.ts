/**
 * Finding records: the one compiler behind staff lists, `POST /api/v1/records/:entity/query`
 * and reports. `runQuery` checks and runs a query; `checkQuery` + `recordsMatching` give the
 * checked query and its matching rows as a kysely query for callers that aggregate (reports).
 * The query's JSON Schema is `query.schema.json`; its messages are in `messages.ts`.
 */
export { runQuery, recordsMatching, filterSql } from './run-query.ts';
export { checkQuery, type CheckedQuery, type CheckedFilter } from './check-query.ts';
export { operatorsOf, type ValueKind } from './operators.ts';
export {
  countCap, defaultPageSize, defaultSort, queryLimits,
  type Condition, type FilterTree, type Operator, type QueryResult, type RecordQuery, type Scalar, type SortKey,
} from './record-query.ts';
