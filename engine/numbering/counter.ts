import { sql, type Kysely, type Transaction } from 'kysely';
import { toNumber } from '../db/database.ts';
import { formatNumber, periodOf, type NumberingRule } from './rule.ts';

/**
 * Takes the next number of a rule for a record being created at `at`, inside the caller's
 * transaction (the one that inserts the record). Gap-free and unique under concurrency: one
 * upsert creates the period's counter at `start` or adds `step` to it, and the row it writes
 * stays locked until the caller's transaction ends. A second creator waits on that lock and
 * then sees the committed value; if the first rolls back, its number is un-drawn and the second
 * gets it. The cost is that creators of one rule and period queue behind each other, so the
 * caller should draw late in its transaction.
 *
 * @example
 * const number = await db.transaction().execute(async (trx) => {
 *   const number = await drawNumber(trx, 'acme', salesOrder, new Date(), 'Asia/Shanghai'); // 'SO202611-0042'
 *   await insertOrder(trx, { number, ... });
 *   return number;
 * });
 */
export async function drawNumber(
  trx: Transaction<any>,
  workspace: string,
  rule: NumberingRule,
  at: Date,
  timeZone: string,
): Promise<string> {
  const row = await trx
    .insertInto('forma.number_counter')
    .values({ workspace, rule: rule.name, period: periodOf(rule, at, timeZone), value: rule.start })
    .onConflict((oc) =>
      oc.columns(['workspace', 'rule', 'period']).doUpdateSet((eb) => ({
        value: eb(eb.ref('forma.number_counter.value'), '+', rule.step),
        updated_at: sql`now()`,
      })),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return formatNumber(rule, at, toNumber(row.value), timeZone);
}

/**
 * The next `count` numbers a rule would give at `at`, consuming none: for a form that shows
 * "SO202611-0042 (provisional)" before saving. Only a guess under concurrency: another creator
 * may take the number first, and the saved record gets whatever `drawNumber` gives then.
 * Inside a transaction pass the transaction (on the embedded database a second connection
 * would wait for it forever).
 *
 * @example await previewNumbers(db, 'acme', salesOrder, new Date(), 'Asia/Shanghai', 3)
 *   // ['SO202611-0042', 'SO202611-0043', 'SO202611-0044']
 */
export async function previewNumbers(
  db: Kysely<any>,
  workspace: string,
  rule: NumberingRule,
  at: Date,
  timeZone: string,
  count: number,
): Promise<string[]> {
  const row = await db
    .selectFrom('forma.number_counter')
    .select('value')
    .where('workspace', '=', workspace)
    .where('rule', '=', rule.name)
    .where('period', '=', periodOf(rule, at, timeZone))
    .executeTakeFirst();
  const next = row ? toNumber(row.value) + rule.step : rule.start;
  return Array.from({ length: count }, (_, i) => formatNumber(rule, at, next + i * rule.step, timeZone));
}
