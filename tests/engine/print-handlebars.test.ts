// Print templates (engine/print/handlebars.ts): compile-time and render-time errors with where
// they are, and the helpers. Rendering to PDF: print-pdf.test.ts.
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate, PRINT_HELPERS, type TemplateProblem } from '../../engine/print/handlebars.ts';
import { refusal } from '../support/refusal.ts';

const refused = (fn: () => unknown) => refusal(Promise.resolve().then(fn));

describe('compiling', () => {
  it('refuses an unknown helper when compiling, saying where it is', async () => {
    const error = await refused(() => compileTemplate('<h1>报价单</h1>\n<p>\n  金额：{{moneyy total}}</p>'));
    expect(error.code).toBe('print_template_invalid');
    const [found] = error.problems as TemplateProblem[];
    expect(found).toMatchObject({ code: 'print_helper_unknown', path: '/source', line: 3, column: 6 });
    expect(found!.message['zh-CN']).toBe('第 3 行第 6 列：没有名为 "moneyy" 的模板函数');
    expect(found!.message.en).toContain('"moneyy"');
  });

  it('refuses an unknown block helper and the log helper', async () => {
    for (const source of ['{{#repeat 3}}x{{/repeat}}', '{{log "secret"}}']) {
      const error = await refused(() => compileTemplate(source));
      expect(error.problems[0]).toMatchObject({ code: 'print_helper_unknown', line: 1, column: 1 });
    }
  });

  it('reports a syntax error with its line and column', async () => {
    // Line 3, column 27: the `}}` where a value should follow `decimals=`.
    const error = await refused(() => compileTemplate('<table>\n<tr><td>{{name}}</td>\n<td>{{number qty decimals=}}</td></tr>\n</table>', { path: '/header' }));
    expect(error.code).toBe('print_template_invalid');
    expect(error.problems[0]).toMatchObject({ code: 'print_syntax_error', path: '/header', line: 3, column: 27 });
    expect(error.problems[0]!.message.en).toMatch(/^Line 3, column 27: template syntax error: Expecting .*got 'CLOSE'$/);
  });

  it('reports an unclosed block and a mismatched one', async () => {
    const unclosed = await refused(() => compileTemplate('<ul>\n{{#each lines}}\n<li>{{name}}</li>\n'));
    expect(unclosed.problems[0]).toMatchObject({ code: 'print_syntax_error', line: 4, column: 1 });
    const mismatched = await refused(() => compileTemplate('x\n  {{#each lines}}\n{{/if}}'));
    // Where `each` is named.
    expect(mismatched.problems[0]).toMatchObject({ code: 'print_syntax_error', line: 2, column: 6 });
    expect(mismatched.problems[0]!.message.en).toContain("each doesn't match if");
  });
});

describe('rendering', () => {
  it('refuses a field the data lacks, with its name and place', async () => {
    const quote = compileTemplate('<h1>{{company.name}}</h1>\n<p>{{customer.nmae}}</p>');
    const error = await refused(() => quote({ company: { name: '新时代网络公司' }, customer: { name: '华东贸易' } }));
    expect(error.code).toBe('print_render_failed');
    // Column 6: where `customer.nmae` starts.
    expect(error.problems[0]).toMatchObject({ code: 'print_field_missing', path: '/source', line: 2, column: 6 });
    expect(error.problems[0]!.message['zh-CN']).toBe('第 2 行第 6 列：数据中没有字段 "nmae"');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'print_render_failed', problems: [{ line: 2, column: 6 }] });
  });

  it('adds and subtracts amounts exactly, blanks counting as nothing', () => {
    const t = compileTemplate('{{money (add a b c)}}|{{money (sub a b)}}|{{capital (sub a b c) prefix="人民币"}}|{{money (sub none a)}}');
    expect(t({ a: '0.1', b: 0.2, c: null, none: null })).toBe('¥0.30|-¥0.10|人民币负壹角整|-¥0.10');
    expect(compileTemplate('{{money (sub ordered received)}}')({ ordered: '100000.00', received: '98994.70' })).toBe('¥1,005.30');
  });

  it('prints a field named like a helper when the helper is given no argument', async () => {
    // Quotes and orders have a field `number` (报价单号): `{{number}}` is it, `{{number qty}}` the helper.
    const t = compileTemplate('{{number}} {{number qty decimals=1}} {{#each lines}}{{date}}{{/each}}\n{{percent}}');
    expect(t({ number: 'QT-<42>', qty: 3, lines: [{ date: '2026-11-23' }], percent: 13 })).toBe('QT-&lt;42&gt; 3.0 2026-11-23\n13');
    const error = await refused(() => t({ number: 'QT-42', qty: 3, lines: [] }));
    expect(error.problems[0]).toMatchObject({ code: 'print_field_missing', line: 2, column: 1 });
    expect(error.problems[0]!.message.en).toContain('the data has no field "percent"');
  });

  it('escapes values, and lets an empty field print as nothing through a helper', () => {
    const t = compileTemplate('{{name}}|{{money discount}}|{{#if note}}{{note}}{{else}}—{{/if}}');
    expect(t({ name: '<b>A&B</b>', discount: null, note: '' })).toBe('&lt;b&gt;A&amp;B&lt;/b&gt;||—');
  });

  it('turns a failing helper into a structured error', async () => {
    const t = compileTemplate('{{capital total}}');
    const error = await refused(() => t({ total: '十万' }));
    expect(error.code).toBe('print_render_failed');
    expect(error.problems[0]).toMatchObject({ code: 'print_amount_invalid', path: '/source' });
    const badFormat = await refused(() => compileTemplate('{{date d format="weekday"}}')({ d: '2026-11-23' }));
    expect(badFormat.problems[0]).toMatchObject({ code: 'print_helper_failed' });
    expect(badFormat.problems[0]!.message.en).toContain('The template helper date failed: format must be one of long, short, iso, datetime');
  });

  it('formats money, capital amounts, numbers, percentages and dates in the locale', () => {
    const t = compileTemplate('{{money total}} {{capital total prefix="人民币"}} {{number qty decimals=2}} {{percent rate}} {{date day}} {{money total symbol="$" decimals=0}}');
    const data = { total: '100000', qty: 3, rate: '13', day: '2026-11-23' };
    expect(t(data)).toBe('¥100,000.00 人民币壹拾万元整 3.00 13% 2026年11月23日 $100,000');
    expect(t(data, { locale: 'en' })).toBe('¥100,000.00 人民币壹拾万元整 3.00 13% November 23, 2026 $100,000');
  });

  it('numbers lines from 1 and compares numbers, numeric texts and texts', () => {
    const t = compileTemplate([
      '{{#each lines}}{{index1 @index}}.{{name}}{{#if (gt amount 1000)}}*{{/if}};{{/each}}',
      '{{#if (eq status "won")}}W{{/if}}{{#if (ne status "lost")}}N{{/if}}{{#if (lt "100.00" "20")}}L{{/if}}',
      '{{#if (and vip (or rush (not paid)))}}A{{/if}}{{#if (and vip lines tags)}}B{{/if}}{{#if (eq total 100)}}E{{/if}}',
    ].join('|'));
    const data = {
      lines: [{ name: '服务器', amount: '12000.00' }, { name: '鼠标', amount: '99.50' }],
      status: 'won', vip: true, rush: false, paid: false, tags: [], total: '100.00',
    };
    expect(t(data)).toBe('1.服务器*;2.鼠标;|WN|AE');
  });

  it('draws Code 128 bar codes and QR codes as inline SVG of a physical size', async () => {
    const t = compileTemplate('{{barcode number}}|{{qrcode url size=30}}|{{barcode none}}');
    const [bar, qr, empty] = t({ number: 'SO202611-0042', url: 'https://forma.dev/q/报价单-42', none: null }).split('|');
    expect(bar).toMatch(/^<svg width="[\d.]+mm" height="[\d.]+mm" viewBox="0 0 \d+ \d+" xmlns="http:\/\/www.w3.org\/2000\/svg">/);
    expect(bar).toContain('<path');
    expect(qr).toMatch(/^<svg width="30.00mm" height="30.00mm" viewBox=/);
    expect(empty).toBe('');
    const error = await refused(() => t({ number: '订单42', url: 'x', none: null }));
    expect(error.problems[0]).toMatchObject({ code: 'print_barcode_invalid' });
  });

  it('uses its own Handlebars: the global instance gets none of the helpers', () => {
    expect(PRINT_HELPERS).toEqual(expect.arrayContaining(['money', 'capital', 'number', 'percent', 'date', 'eq', 'ne', 'gt', 'lt', 'and', 'or', 'not', 'index1', 'barcode', 'qrcode']));
    expect(Handlebars.helpers.capital).toBeUndefined();
    expect(Handlebars.helpers.log).toBeDefined();
  });
});
