import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { ensureWorkspace } from '../../engine/metadata/store.ts';
import { drawNumber, previewNumbers } from '../../engine/numbering/counter.ts';
import { formatNumber, parsePattern, periodOf, ruleFromDocument, type NumberingRule } from '../../engine/numbering/rule.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { L } from '../support/documents.ts';

const shanghai = 'Asia/Shanghai';

const rule = (pattern: string, body: Record<string, unknown> = {}): NumberingRule =>
  ruleFromDocument({ kind: 'numbering', name: 'sales_order', label: L('销售订单编号', 'Sales order number'), pattern, ...body });

describe('numbering rules', () => {
  it('applies the meta-schema defaults', () => {
    expect(rule('KH-{####}')).toEqual({ name: 'sales_order', pattern: 'KH-{####}', reset: 'never', start: 1, step: 1, allowManual: false });
    expect(rule('KH-{####}', { reset: 'daily', start: 0, step: 5, allowManual: true })).toMatchObject({ reset: 'daily', start: 0, step: 5, allowManual: true });
  });

  it('parses patterns into text, date parts and one sequence', () => {
    expect(parsePattern('SO{YYYY}{MM}-{####}')).toEqual([
      { kind: 'text', text: 'SO' },
      { kind: 'date', part: 'YYYY' },
      { kind: 'date', part: 'MM' },
      { kind: 'text', text: '-' },
      { kind: 'sequence', width: 4 },
    ]);
    expect(parsePattern('{#}')).toEqual([{ kind: 'sequence', width: 1 }]);
    expect(() => parsePattern('SO-{YYYY}')).toThrow(/0 sequence tokens/);
    expect(() => parsePattern('{##}-{###}')).toThrow(/2 sequence tokens/);
    expect(() => parsePattern('SO{HH}{###}')).toThrow(/unknown token/);
  });

  const at = new Date('2026-11-22T02:00:00Z'); // 10:00 in Shanghai
  it.each([
    ['KH{YYYY}-{#####}', 42, 'KH2026-00042'],
    ['SO{YYYY}{MM}-{####}', 42, 'SO202611-0042'],
    ['{YY}{MM}{DD}{###}', 7, '261122007'],
    ['HT-{DD}/{MM}/{YY}-{#}', 3, 'HT-22/11/26-3'],
    ['报价{YYYY}年{######}', 1, '报价2026年000001'],
    // Wider than the #'s: printed in full, never cut (a cut number would repeat 0000).
    ['SO{YYYY}{MM}-{####}', 10000, 'SO202611-10000'],
    ['SO-{############}', 0, 'SO-000000000000'],
  ])('formats %s with sequence %i as %s', (pattern, sequence, expected) => {
    expect(formatNumber(rule(pattern), at, sequence, shanghai)).toBe(expected);
  });

  it('takes the date parts and the period in the workspace time zone', () => {
    const newYearInShanghai = new Date('2026-12-31T17:00:00Z'); // 2027-01-01 01:00 in Shanghai
    const yearly = rule('KH{YYYY}-{####}', { reset: 'yearly' });
    expect(formatNumber(yearly, newYearInShanghai, 1, shanghai)).toBe('KH2027-0001');
    expect(periodOf(yearly, newYearInShanghai, shanghai)).toBe('2027');
    expect(formatNumber(yearly, newYearInShanghai, 1, 'UTC')).toBe('KH2026-0001');
    expect(periodOf(yearly, newYearInShanghai, 'UTC')).toBe('2026');
  });

  it('names one period per reset interval', () => {
    expect(periodOf(rule('SO-{####}'), at, shanghai)).toBe('');
    expect(periodOf(rule('SO{YYYY}-{####}', { reset: 'yearly' }), at, shanghai)).toBe('2026');
    expect(periodOf(rule('SO{YYYY}{MM}-{####}', { reset: 'monthly' }), at, shanghai)).toBe('2026-11');
    expect(periodOf(rule('SO{YYYY}{MM}{DD}-{####}', { reset: 'daily' }), at, shanghai)).toBe('2026-11-22');
  });
});

/** Thrown inside a creator's transaction after it drew its number, to roll it back. */
class CreateFailed extends Error {}

for (const setup of testDatabases()) {
  describe(`numbering counters on ${setup.kind}`, () => {
    let t: TestDatabase;
    let db: Kysely<any>;
    let workspace: string;
    let count = 0;
    const november = new Date('2026-11-22T02:00:00Z');
    // How many creators were inside their transactions at once: proves the concurrency tests
    // really overlap on PostgreSQL (PGlite runs one transaction at a time).
    let inFlight = 0;
    let mostInFlight = 0;

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
    });
    afterAll(() => t?.cleanup());
    // Each test draws in a workspace of its own, so counters never carry over between tests.
    beforeEach(async () => {
      count += 1;
      workspace = `w${count}`;
      mostInFlight = 0;
      await ensureWorkspace(db, workspace, `ws_${workspace}`);
    });

    /** Creates one record's number in a transaction of its own, as the records engine would. */
    const create = (r: NumberingRule, at = november, options: { fail?: boolean } = {}) =>
      db.transaction().execute(async (trx) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          const number = await drawNumber(trx, workspace, r, at, shanghai);
          if (options.fail) throw new CreateFailed(number);
          return number;
        } finally {
          inFlight -= 1;
        }
      });
    const expectOverlap = () => expect(mostInFlight).toBeGreaterThan(setup.kind === 'postgres' ? 1 : 0);
    const createMany = async (r: NumberingRule, n: number) => {
      const numbers: string[] = [];
      for (let i = 0; i < n; i++) numbers.push(await create(r));
      return numbers;
    };

    it('starts at start and adds step', async () => {
      const r = rule('KH-{####}', { start: 100, step: 10 });
      expect(await createMany(r, 3)).toEqual(['KH-0100', 'KH-0110', 'KH-0120']);
    });

    it('starts again each period of a resetting rule, and never for the others', async () => {
      const monthly = rule('SO{YYYY}{MM}-{####}', { reset: 'monthly' });
      const december = new Date('2026-12-01T00:00:00Z');
      expect([await create(monthly), await create(monthly), await create(monthly, december)])
        .toEqual(['SO202611-0001', 'SO202611-0002', 'SO202612-0001']);
      // November's counter is untouched by December's.
      expect(await create(monthly)).toBe('SO202611-0003');

      const never = { ...rule('HT{YYYY}-{####}'), name: 'contract' };
      expect([await create(never), await create(never, december), await create(never, new Date('2027-03-01T00:00:00Z'))])
        .toEqual(['HT2026-0001', 'HT2026-0002', 'HT2027-0003']);
    });

    it('keeps counting past the width of the #s', async () => {
      const r = rule('T-{#}', { start: 8 });
      expect(await createMany(r, 3)).toEqual(['T-8', 'T-9', 'T-10']);
    });

    it('keeps counters apart per workspace and per rule', async () => {
      const order = rule('SO-{####}');
      const quote = { ...rule('QT-{####}'), name: 'quote' };
      expect(await create(order)).toBe('SO-0001');
      expect(await create(quote)).toBe('QT-0001');
      await ensureWorkspace(db, 'other', 'ws_other');
      expect(await db.transaction().execute((trx) => drawNumber(trx, 'other', order, november, shanghai))).toBe('SO-0001');
      expect(await create(order)).toBe('SO-0002');
    });

    it('previews the next numbers without consuming them', async () => {
      const r = rule('SO{YYYY}{MM}-{####}', { reset: 'monthly', start: 5, step: 5 });
      expect(await previewNumbers(db, workspace, r, november, shanghai, 3)).toEqual(['SO202611-0005', 'SO202611-0010', 'SO202611-0015']);
      expect(await previewNumbers(db, workspace, r, november, shanghai, 3)).toEqual(['SO202611-0005', 'SO202611-0010', 'SO202611-0015']);
      expect(await create(r)).toBe('SO202611-0005');
      const preview = await previewNumbers(db, workspace, r, november, shanghai, 2);
      expect(preview).toEqual(['SO202611-0010', 'SO202611-0015']);
      expect(await previewNumbers(db, workspace, r, november, shanghai, 2)).toEqual(preview);
      expect(await create(r)).toBe(preview[0]);
    });

    it('gives 50 concurrent creators 50 distinct, consecutive numbers', async () => {
      const r = rule('KH-{####}');
      const numbers = await Promise.all(Array.from({ length: 50 }, () => create(r)));
      expectOverlap();
      expect(new Set(numbers).size).toBe(50);
      expect(numbers.map((n) => Number(n.slice(3))).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('makes a second creator wait until the first creator\'s transaction ends', async () => {
      const r = rule('KH-{####}');
      let finishFirst!: () => void;
      const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
      let drewFirst!: () => void;
      const firstDrew = new Promise<void>((resolve) => (drewFirst = resolve));
      const first = db.transaction().execute(async (trx) => {
        const number = await drawNumber(trx, workspace, r, november, shanghai);
        drewFirst();
        await firstMayFinish;
        return number;
      });
      await firstDrew;
      let secondDone = false;
      const second = create(r).finally(() => (secondDone = true));
      // On PostgreSQL the second waits on the counter row's lock, on PGlite for the one connection.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondDone).toBe(false);
      finishFirst();
      expect(await Promise.all([first, second])).toEqual(['KH-0001', 'KH-0002']);
    });

    it('un-draws the number of a creator that rolls back: no gap', async () => {
      const r = rule('KH-{####}');
      const failed = await create(r, november, { fail: true }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(CreateFailed);
      expect((failed as Error).message).toBe('KH-0001');
      expect(await create(r)).toBe('KH-0001');
      expect(await create(r)).toBe('KH-0002');
    });

    it('leaves no gap when every 5th of 50 concurrent creators rolls back', async () => {
      const r = rule('KH-{####}');
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => create(r, november, { fail: i % 5 === 4 })));
      const created = results.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const failures = results.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
      expectOverlap();
      expect(failures).toHaveLength(10);
      for (const failure of failures) expect(failure).toBeInstanceOf(CreateFailed);
      expect(created.map((n) => Number(n.slice(3))).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(await create(r)).toBe('KH-0041');
    });
  });
}
