// Pure helpers of the kanban board (app/board/board.ts) and of the global search (app/search/phone.ts).
import { describe, expect, it } from 'vitest';
import {
  appendPage, columnOfDropId, columnValue, dropId, findCard, moveCard, readableMoments, refusalReason, restoreCard, updateCard,
  type BoardCard, type BoardColumn,
} from '../../app/board/board.ts';
import { phoneQuery } from '../../app/search/phone.ts';

const card = (id: string, version = 1): BoardCard => ({ id, version, title: `机会 ${id}`, fields: [] });
const board = (): BoardColumn[] => [
  { key: 'proposal', label: '方案报价', total: { value: 3, exact: true }, cards: [card('a'), card('b'), card('c')], next: 'cursor-1' },
  { key: 'won', label: '赢单', total: { value: 1, exact: true }, cards: [card('d')] },
  { key: '', label: '（空）', total: { value: 12_000, exact: false }, cards: [] },
];

describe('moving cards on the board', () => {
  it('moves a card to the top of another column and adjusts both counts', () => {
    const moved = moveCard(board(), 'b', 'won');
    expect(moved[0]!.cards.map((c) => c.id)).toEqual(['a', 'c']);
    expect(moved[1]!.cards.map((c) => c.id)).toEqual(['b', 'd']);
    expect(moved[0]!.total).toEqual({ value: 2, exact: true });
    expect(moved[1]!.total).toEqual({ value: 2, exact: true });
    // The cursor of the column it left still pages on: its order is the sort, not positions.
    expect(moved[0]!.next).toBe('cursor-1');
  });

  it('keeps the board as it is for a drop on the card’s own column, an unknown card or column', () => {
    expect(moveCard(board(), 'b', 'proposal')).toEqual(board());
    expect(moveCard(board(), 'zzz', 'won')).toEqual(board());
    expect(moveCard(board(), 'b', 'lost')).toEqual(board());
  });

  it('puts a refused card back exactly where it was, counts restored, estimates kept as estimates', () => {
    const before = board();
    const place = findCard(before, 'b')!;
    expect(place).toMatchObject({ column: 'proposal', index: 1 });
    const moved = moveCard(before, 'b', '');
    expect(moved[2]!.total).toEqual({ value: 12_001, exact: false });
    expect(restoreCard(moved, place)).toEqual(before);
    // Restoring twice (a late answer) does not duplicate it.
    expect(restoreCard(restoreCard(moved, place), place)).toEqual(before);
  });

  it('records the version a saved move returned, so the next move is made against it', () => {
    const saved = updateCard(moveCard(board(), 'a', 'won'), 'a', { version: 2 });
    expect(findCard(saved, 'a')).toMatchObject({ column: 'won', index: 0, card: { version: 2 } });
  });

  it('appends a column’s next page without repeating a card moved there meanwhile, and drops the cursor on the last page', () => {
    const column = moveCard(board(), 'a', 'won')[1]!;
    const next = appendPage(column, { cards: [card('e'), card('a'), card('f')] });
    expect(next.cards.map((c) => c.id)).toEqual(['a', 'd', 'e', 'f']);
    expect(next.next).toBeUndefined();
    expect(appendPage(board()[0]!, { cards: [card('g')], next: 'cursor-2' }).next).toBe('cursor-2');
  });

  it('names drop zones apart from cards, and the empty column’s value is null', () => {
    expect(columnOfDropId(dropId('won'))).toBe('won');
    expect(columnOfDropId(dropId(''))).toBe('');
    expect(columnOfDropId('0f4b7a52-0000-4000-8000-000000000000')).toBeUndefined();
    expect(columnOfDropId(null)).toBeUndefined();
    expect(columnValue('')).toBeNull();
    expect(columnValue('won')).toBe('won');
  });
});

describe('refusalReason', () => {
  const denied = { error: { code: 'permission_denied', message: { 'zh-CN': '你没有修改"销售机会"的权限', en: 'You may not change Opportunity records' }, problems: [] } };

  it('gives the API’s message in the person’s language', () => {
    expect(refusalReason(denied, 'zh-CN', '?')).toBe('你没有修改"销售机会"的权限');
    expect(refusalReason(denied, 'en', '?')).toBe('You may not change Opportunity records');
  });

  it('adds what validation found', () => {
    const invalid = {
      error: {
        code: 'record_invalid', message: { 'zh-CN': '记录有 1 处错误', en: 'The record has 1 problem' },
        problems: [{ message: { 'zh-CN': '“销售阶段”不是可选的值', en: '“Stage” is not one of the options' } }],
      },
    };
    expect(refusalReason(invalid, 'zh-CN', '?')).toBe('记录有 1 处错误：“销售阶段”不是可选的值');
    expect(refusalReason(invalid, 'en', '?')).toBe('The record has 1 problem: “Stage” is not one of the options');
  });

  it('writes the moments in a conflict as people read them, in China’s time', () => {
    const conflict = { error: { code: 'record_conflict', message: { 'zh-CN': '当前为版本 2（sales1，2026-11-22T23:26:50.585Z）', en: 'it is now version 2 (sales1, 2026-11-22T23:26:50.585Z)' } } };
    expect(refusalReason(conflict, 'zh-CN', '?')).not.toContain('T23:26');
    expect(refusalReason(conflict, 'zh-CN', '?')).toContain('2026年11月23日');
    expect(refusalReason(conflict, 'en', '?')).toMatch(/Nov 23, 2026, 7:26\sAM/);
    expect(readableMoments('no moment here: 2026-11-22', 'en')).toBe('no moment here: 2026-11-22');
  });

  it('falls back when the answer is not an API refusal', () => {
    expect(refusalReason(null, 'zh-CN', '连接服务器失败')).toBe('连接服务器失败');
    expect(refusalReason('<html>502</html>', 'en', 'fallback')).toBe('fallback');
    expect(refusalReason({ error: { code: 'x' } }, 'en', 'fallback')).toBe('fallback');
  });
});

describe('phoneQuery', () => {
  it('recognises numbers as people type them', () => {
    for (const number of ['021-6888 1234', '02168881234', '+86 138 0013 8000', '138-0013-8000', '(021) 6888 1234', '0086 13800138000', '10086', '95555', '021.6888.1234']) {
      expect(phoneQuery(number), number).toBe(number);
    }
  });

  it('trims, and reads the full-width digits of a Chinese input method', () => {
    expect(phoneQuery('  13800138000 ')).toBe('13800138000');
    expect(phoneQuery('１３８００１３８０００')).toBe('13800138000');
    expect(phoneQuery('＋86 138 0013 8000')).toBe('+86 138 0013 8000');
  });

  it('leaves names, codes, short numbers, dates and very long digit strings to the text search', () => {
    for (const text of ['新时代', '张建华 138', 'KH2026-00001', 'SO202611-0042', '1234', '12-34', '2026-11-22', '2026/11/22', '1'.repeat(21), '+', '', '  ', '138+0013']) {
      expect(phoneQuery(text), text).toBeUndefined();
    }
  });
});
