import { describe, expect, it } from 'vitest';
import { documentKey, type EntityDocument } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { createRecordValidator } from '../../engine/records/record-validator.ts';
import {
  isRegionAtLevel, regionByCode, regionChildren, regionLabel, regionRefusal,
} from '../../engine/regions/regions.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const names = (code: string) => regionByCode(code)?.path.map((p) => p.name).join(' › ');

describe('region lookups', () => {
  it('finds a province, a city and a district with the path from the province down', () => {
    expect(regionByCode('440000')).toEqual({ code: '440000', name: '广东省', level: 'province', path: [{ code: '440000', name: '广东省' }] });
    expect(regionByCode('440300')).toMatchObject({ name: '深圳市', level: 'city', parent: '440000' });
    expect(regionByCode('440305')).toEqual({
      code: '440305', name: '南山区', level: 'district', parent: '440300',
      path: [{ code: '440000', name: '广东省' }, { code: '440300', name: '深圳市' }, { code: '440305', name: '南山区' }],
    });
  });

  it('gives each 直辖市 one city named after it, its districts and counties under that city', () => {
    expect(names('110105')).toBe('北京市 › 北京市 › 朝阳区');
    expect(names('120116')).toBe('天津市 › 天津市 › 滨海新区');
    expect(regionByCode('310104')).toMatchObject({ name: '徐汇区', level: 'district', parent: '310100' });
    expect(names('310104')).toBe('上海市 › 上海市 › 徐汇区');
    expect(regionByCode('310100')).toMatchObject({ name: '上海市', level: 'city', parent: '310000' });
    expect(names('500101')).toBe('重庆市 › 重庆市 › 万州区');
    // 重庆's counties keep their 5002xx codes but hang under 500100, not under the grouping "县".
    expect(regionByCode('500229')).toMatchObject({ name: '城口县', parent: '500100' });
    expect(regionByCode('500200')).toBeUndefined();
    for (const province of ['110000', '120000', '310000', '500000']) {
      expect(regionChildren(province)).toEqual([{ code: `${province.slice(0, 2)}0100`, name: regionByCode(province)!.name }]);
    }
  });

  it('puts a 省直辖县级 unit directly under its province, as a city and a district at once', () => {
    expect(regionByCode('429004')).toEqual({
      code: '429004', name: '仙桃市', level: 'district', parent: '420000',
      path: [{ code: '420000', name: '湖北省' }, { code: '429004', name: '仙桃市' }],
    });
    expect(isRegionAtLevel('429004', 'city')).toBe(true);
    expect(isRegionAtLevel('429004', 'district')).toBe(true);
    expect(isRegionAtLevel('429004', 'province')).toBe(false);
    expect(regionByCode('419001')).toMatchObject({ name: '济源市', parent: '410000' });
    expect(regionByCode('659001')).toMatchObject({ name: '石河子市', parent: '650000' });
    expect(regionByCode('429000')).toBeUndefined(); // 省直辖县级行政区划 is a grouping, not a place
  });

  it('makes a city without districts (东莞, 中山) a district-level pick of its own', () => {
    expect(regionByCode('441900')).toMatchObject({ name: '东莞市', level: 'city', parent: '440000' });
    expect(regionChildren('441900')).toEqual([]);
    expect(regionChildren('442000')).toEqual([]);
    expect(isRegionAtLevel('441900', 'city')).toBe(true);
    expect(isRegionAtLevel('441900', 'district')).toBe(true);
    expect(regionByCode('441901')).toBeUndefined(); // the package's made-up town code
  });

  it('has 香港, 澳门 and 台湾 at province level only', () => {
    expect(regionByCode('810000')).toMatchObject({ name: '香港特别行政区', level: 'province' });
    expect(regionByCode('820000')?.name).toBe('澳门特别行政区');
    expect(regionByCode('710000')?.name).toBe('台湾省');
    expect(regionChildren('810000')).toEqual([]);
    expect(isRegionAtLevel('810000', 'district')).toBe(true);
    expect(regionByCode('810101')).toBeUndefined();
  });

  it('leaves out development zones and districts merged away', () => {
    expect(regionByCode('320571')).toBeUndefined(); // 苏州工业园区 (statistics code, not GB/T 2260)
    expect(regionByCode('130390')).toBeUndefined(); // the package's own 经济技术开发区
    expect(regionByCode('320611')).toBeUndefined(); // 港闸区, merged into 崇川区 in 2020
    expect(regionByCode('310115')?.name).toBe('浦东新区'); // a real district named 新区 stays
  });

  it('knows areas created after 2020', () => {
    expect(regionByCode('330114')?.name).toBe('钱塘区');
    expect(regionByCode('659012')?.name).toBe('白杨市');
    expect(regionByCode('653228')?.name).toBe('和康县');
  });

  it('answers undefined for a code that names nothing', () => {
    for (const code of ['999999', '000000', '31010', 'abcdef', '']) expect(regionByCode(code)).toBeUndefined();
  });

  it('hands out copies: changing a result changes nothing', () => {
    regionByCode('310104')!.path[0]!.name = 'x';
    regionChildren(undefined)[0]!.name = 'x';
    expect(names('310104')).toBe('上海市 › 上海市 › 徐汇区');
    expect(regionChildren(undefined)[0]).toEqual({ code: '110000', name: '北京市' });
  });
});

describe('region cascade', () => {
  it('starts at the 34 provinces, in code order', () => {
    const provinces = regionChildren(undefined);
    expect(provinces).toHaveLength(34);
    expect(provinces[0]).toEqual({ code: '110000', name: '北京市' });
    expect(provinces.at(-1)).toEqual({ code: '820000', name: '澳门特别行政区' });
  });

  it('lists a province\'s cities, then its 省直辖 units', () => {
    expect(regionChildren('420000').map((p) => p.name)).toEqual([
      '武汉市', '黄石市', '十堰市', '宜昌市', '襄阳市', '鄂州市', '荆门市', '孝感市', '荆州市', '黄冈市', '咸宁市', '随州市',
      '恩施土家族苗族自治州', '仙桃市', '潜江市', '天门市', '神农架林区',
    ]);
  });

  it('lists a city\'s districts and a 直辖市\'s districts and counties together', () => {
    expect(regionChildren('320500').map((p) => p.name)).toEqual(['虎丘区', '吴中区', '相城区', '姑苏区', '吴江区', '常熟市', '张家港市', '昆山市', '太仓市']);
    const chongqing = regionChildren('500100').map((p) => p.name);
    expect(chongqing).toContain('万州区');
    expect(chongqing).toContain('城口县');
    expect(regionChildren('110100')).toHaveLength(16);
  });

  it('has nothing below a district or an unknown code', () => {
    expect(regionChildren('310104')).toEqual([]);
    expect(regionChildren('999999')).toEqual([]);
  });
});

describe('region labels', () => {
  it('names a place from its province down, a 直辖市 once', () => {
    expect(regionLabel('310104')).toBe('上海市 徐汇区');
    expect(regionLabel('310100')).toBe('上海市');
    expect(regionLabel('310000')).toBe('上海市');
    expect(regionLabel('500229')).toBe('重庆市 城口县');
    expect(regionLabel('440305')).toBe('广东省 深圳市 南山区');
    expect(regionLabel('429004')).toBe('湖北省 仙桃市');
    expect(regionLabel('441900')).toBe('广东省 东莞市');
    expect(regionLabel('440305', '')).toBe('广东省深圳市南山区');
    expect(regionLabel('440305', ' / ')).toBe('广东省 / 深圳市 / 南山区');
  });

  it('shows an unknown code as itself', () => {
    expect(regionLabel('999999')).toBe('999999');
  });
});

describe('region refusals', () => {
  it('accepts a code at the field\'s level, district by default', () => {
    expect(regionRefusal('310104', 'district')).toBeUndefined();
    expect(regionRefusal('310104', undefined)).toBeUndefined();
    expect(regionRefusal('310100', 'city')).toBeUndefined();
    expect(regionRefusal('440000', 'province')).toBeUndefined();
    expect(regionRefusal('441900', 'district')).toBeUndefined();
    expect(regionRefusal('429004', 'city')).toBeUndefined();
  });

  it('refuses an unknown code', () => {
    expect(regionRefusal('999999', 'district')).toEqual({ 'zh-CN': '行政区划代码 999999 不存在', en: '999999 is not a known administrative area code' });
    expect(regionRefusal('429000', 'city')?.en).toBe('429000 is not a known administrative area code');
  });

  it('refuses a code above the field\'s level', () => {
    expect(regionRefusal('310000', 'district')).toEqual({ 'zh-CN': '“上海市”是省级区划，应选到区县级', en: '"上海市" is a province: choose down to a district' });
    expect(regionRefusal('440300', undefined)).toEqual({ 'zh-CN': '“广东省 深圳市”是市级区划，应选到区县级', en: '"广东省 深圳市" is a city: choose down to a district' });
    // A 直辖市 picked for a city field: the message names the city-level code.
    expect(regionRefusal('310000', 'city')).toEqual({ 'zh-CN': '“上海市”是省级区划，应选到市级（上海市：310100）', en: '"上海市" is a province: choose down to a city (上海市: 310100)' });
  });

  it('refuses a code below the field\'s level', () => {
    expect(regionRefusal('310104', 'city')).toEqual({ 'zh-CN': '“上海市 徐汇区”是区县级区划，此字段只选到市级', en: '"上海市 徐汇区" is a district: this field stops at the city' });
    expect(regionRefusal('440300', 'province')?.en).toBe('"广东省 深圳市" is a city: this field stops at the province');
    expect(regionRefusal('429004', 'province')?.['zh-CN']).toBe('“湖北省 仙桃市”是区县级区划，此字段只选到省级');
  });
});

describe('region fields in the record validator', () => {
  const { documents, problems } = validateDocuments(inputs(
    entity('site_visit', {
      title: field({ type: 'text' }),
      region: field({ type: 'region', label: L('所在地区', 'Region') }),
      city: field({ type: 'region', level: 'city', label: L('所在城市', 'City') }),
      stops: field({ type: 'lines', entity: 'visit_stop', label: L('途经', 'Stops') }),
    }),
    entity('visit_stop', { place: field({ type: 'region', level: 'district', label: L('地点', 'Place') }) }),
  ));
  const model = new Map(documents.map((d) => [documentKey(d), d]));
  const validator = createRecordValidator(model, model.get('entity:site_visit') as EntityDocument);
  const check = (input: Record<string, unknown>) => validator.check(input, 'create');

  it('builds from valid metadata', () => {
    expect(problems).toEqual([]);
  });

  it('accepts codes at each field\'s level, and empty fields', () => {
    expect(check({ region: '310104', city: '310100', stops: [{ place: '441900' }] })).toEqual([]);
    expect(check({ region: null, city: null })).toEqual([]);
  });

  it('refuses an unknown code and a province for a district field, at the field', () => {
    expect(check({ region: '999999' })).toEqual([{
      code: 'field_value_invalid', path: '/region',
      message: { 'zh-CN': '所在地区：行政区划代码 999999 不存在', en: 'Region: 999999 is not a known administrative area code' },
    }]);
    expect(check({ region: '310000' })).toEqual([{
      code: 'field_value_invalid', path: '/region',
      message: { 'zh-CN': '所在地区：“上海市”是省级区划，应选到区县级', en: 'Region: "上海市" is a province: choose down to a district' },
    }]);
  });

  it('refuses a district for a city field, and bad codes in line items', () => {
    const found = check({ city: '310104', stops: [{ place: '310100' }] });
    expect(found.map((p) => [p.path, p.message['zh-CN']])).toEqual([
      ['/city', '所在城市：“上海市 徐汇区”是区县级区划，此字段只选到市级'],
      ['/stops/0/place', '途经第 1 行 地点：“上海市”是市级区划，应选到区县级'],
    ]);
  });

  it('leaves a malformed code to the pattern check', () => {
    expect(check({ region: '3101' }).map((p) => p.message['zh-CN'])).toEqual(['所在地区：应为 6 位行政区划代码']);
  });
});
