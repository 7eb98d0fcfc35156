import { areaList } from '@vant/area-data';
import type { LocalizedText } from '../i18n/text.ts';

/**
 * China's administrative areas (GB/T 2260 six-digit codes) for `region` fields: lookups, the
 * province → city → district cascade, labels, and why a code cannot be stored. The data is
 * @vant/area-data (MIT), trimmed to administrative areas; decision 0007 says what and why.
 * Names are Chinese in every locale: they are place names, not interface text.
 *
 * Shape of the cascade (each rule below is applied once, when the index is built):
 * - 直辖市 (北京 天津 上海 重庆) have one city, `xx0100`, named like the municipality, so every
 *   district sits three levels deep: 上海市 › 上海市 › 徐汇区. 重庆's counties (`5002xx`, under
 *   the code-list's grouping "县" 500200) hang under 500100 重庆市 too.
 * - County-level units governed by the province (省直辖县级行政区划, `xx90xx`: 仙桃市, 济源市,
 *   石河子市…) hang directly under their province and stand for both a city and a district.
 *   The grouping codes (429000…) and 500200 are not places: they are unknown codes here.
 * - Cities without districts (东莞 中山 儋州 嘉峪关) are a district-level pick themselves, as are
 *   香港 澳门 台湾, which GB/T 2260 codes at province level only.
 */

export type RegionLevel = 'province' | 'city' | 'district';

export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'district'];

/** A field's level when it names none. */
export const DEFAULT_REGION_LEVEL: RegionLevel = 'district';

export interface RegionPlace {
  code: string;
  name: string;
}

export interface Region extends RegionPlace {
  /** Its administrative level: `xx0000` province, `xxyy00` city, anything finer a district (county-level). */
  level: RegionLevel;
  /** The code of the place above it in the cascade (none for a province). */
  parent?: string;
  /** From its province down to itself, e.g. 上海市 › 上海市 › 徐汇区; 湖北省 › 仙桃市. */
  path: RegionPlace[];
}

/** 北京 天津 上海 重庆: their city level is one place named after them. */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
/** 台湾 香港 澳门: GB/T 2260 codes them as a whole; the package's finer codes are its own. */
const PROVINCE_ONLY = new Set(['71', '81', '82']);
/** Prefecture-level cities with no county-level divisions (the package lists towns under made-up codes). */
const WITHOUT_DISTRICTS = new Set(['441900', '442000', '460400', '620200']);
/**
 * District codes of the package that are not in GB/T 2260: zones it numbers like districts
 * (江北新区, 镇江新区) and districts merged away in 2020–2021 (港闸区, 梅列区, 长岛县).
 */
const NOT_ADMINISTRATIVE = new Set(['320112', '321150', '320611', '350402', '370634']);

interface Index {
  regions: Map<string, Region>;
  children: Map<string | undefined, RegionPlace[]>;
}

let index: Index | undefined;

/** The index, built on first use and kept. */
function regions(): Index {
  return (index ??= buildIndex());
}

/**
 * Whether a county-level code of the package names an administrative area: its last two digits
 * 71–80 are the statistics bureau's development zones (统计用区划代码, not GB/T 2260), and 90–99
 * under an ordinary city are zones the package numbers itself (county-level cities run 81 up
 * and none has reached 90); under a 省直辖 grouping (city digits 90) every number is a place.
 */
function isAdministrativeDistrict(code: string): boolean {
  if (NOT_ADMINISTRATIVE.has(code)) return false;
  const county = Number(code.slice(4));
  if (county >= 71 && county <= 80) return false;
  return county < 90 || code.slice(2, 4) === '90';
}

function buildIndex(): Index {
  const regions = new Map<string, Region>();
  const children = new Map<string | undefined, RegionPlace[]>();
  const add = (code: string, name: string, level: RegionLevel, parent?: string) => {
    const above = parent === undefined ? undefined : regions.get(parent);
    const region: Region = {
      code, name, level,
      ...(parent === undefined ? {} : { parent }),
      path: [...(above?.path ?? []), { code, name }],
    };
    regions.set(code, region);
    const siblings = children.get(parent) ?? [];
    siblings.push({ code, name });
    children.set(parent, siblings);
  };
  const byCode = (list: Record<string, string>) => Object.entries(list).sort(([a], [b]) => (a < b ? -1 : 1));

  for (const [code, name] of byCode(areaList.province_list)) add(code, name, 'province');
  for (const [code, name] of byCode(areaList.city_list)) {
    const province = code.slice(0, 2);
    if (PROVINCE_ONLY.has(province) || code.slice(2, 4) === '90') continue;
    if (MUNICIPALITIES.has(province)) {
      if (code === `${province}0100`) add(code, regions.get(`${province}0000`)!.name, 'city', `${province}0000`);
      continue;
    }
    add(code, name, 'city', `${province}0000`);
  }
  for (const [code, name] of byCode(areaList.county_list)) {
    const province = code.slice(0, 2);
    const city = `${code.slice(0, 4)}00`;
    if (PROVINCE_ONLY.has(province) || WITHOUT_DISTRICTS.has(city) || !isAdministrativeDistrict(code)) continue;
    const parent = MUNICIPALITIES.has(province) ? `${province}0100`
      : code.slice(2, 4) === '90' ? `${province}0000`
        : city;
    if (regions.has(parent)) add(code, name, 'district', parent);
  }
  for (const list of children.values()) list.sort((a, b) => (a.code < b.code ? -1 : 1));
  return { regions, children };
}

/**
 * The area a code names, with its path from the province down, or undefined for a code that
 * names none (not six digits, unknown, retired, or a grouping such as 429000 省直辖县).
 *
 * @example regionByCode('310104') // { code: '310104', name: '徐汇区', level: 'district', parent: '310100',
 *   //   path: [{ code: '310000', name: '上海市' }, { code: '310100', name: '上海市' }, { code: '310104', name: '徐汇区' }] }
 */
export function regionByCode(code: string): Region | undefined {
  const region = regions().regions.get(code);
  return region && { ...region, path: region.path.map((place) => ({ ...place })) };
}

/** The places one step down the cascade from a code, by code; the provinces for undefined. */
export function regionChildren(code: string | undefined): RegionPlace[] {
  return (regions().children.get(code) ?? []).map((place) => ({ ...place }));
}

/**
 * How records, lists and print templates show a code: the names from the province down, a
 * 直辖市's name once (`上海市 徐汇区`, not `上海市 上海市 徐汇区`). An unknown code shows as itself.
 */
export function regionLabel(code: string, separator = ' '): string {
  const region = regions().regions.get(code);
  if (!region) return code;
  return region.path
    .map((place) => place.name)
    .filter((name, i, names) => name !== names[i - 1])
    .join(separator);
}

/**
 * Whether a code is a complete pick for a field of that level. Besides codes of the level
 * itself: a 省直辖县 (仙桃市) is also a city, and a place with nothing below it is also a pick
 * of every finer level (东莞市 for a district field; 香港 for a city or district field).
 */
export function isRegionAtLevel(code: string, level: RegionLevel): boolean {
  const { regions: all, children } = regions();
  const region = all.get(code);
  if (!region) return false;
  if (region.level === level) return true;
  const rank = REGION_LEVELS.indexOf(region.level);
  const wanted = REGION_LEVELS.indexOf(level);
  if (rank < wanted) return !children.has(code);
  return level === 'city' && all.get(region.parent!)?.level === 'province';
}

const levelName: Record<RegionLevel, LocalizedText> = {
  province: { 'zh-CN': '省级', en: 'province' },
  city: { 'zh-CN': '市级', en: 'city' },
  district: { 'zh-CN': '区县级', en: 'district' },
};

/**
 * Why a code cannot be stored in a region field of a level (default district), or undefined
 * when it can: it names no area, or an area above or below the field's level.
 *
 * @example regionRefusal('310000', 'district') // { 'zh-CN': '“上海市”是省级区划，应选到区县级', en: '"上海市" is a province: choose down to a district' }
 */
export function regionRefusal(code: string, level: string | undefined): LocalizedText | undefined {
  const wanted = (REGION_LEVELS as readonly string[]).includes(level ?? '') ? (level as RegionLevel) : DEFAULT_REGION_LEVEL;
  const region = regions().regions.get(code);
  if (!region) {
    return { 'zh-CN': `行政区划代码 ${code} 不存在`, en: `${code} is not a known administrative area code` };
  }
  if (isRegionAtLevel(code, wanted)) return undefined;
  const label = regionLabel(code);
  const actual = levelName[region.level];
  const target = levelName[wanted];
  if (REGION_LEVELS.indexOf(region.level) < REGION_LEVELS.indexOf(wanted)) {
    // A 直辖市 picked as a city: name the code the field wants.
    const only = regions().children.get(code);
    const hint = wanted === 'city' && only?.length === 1 ? only[0]! : undefined;
    return {
      'zh-CN': `“${label}”是${actual['zh-CN']}区划，应选到${target['zh-CN']}${hint ? `（${hint.name}：${hint.code}）` : ''}`,
      en: `"${label}" is a ${actual.en}: choose down to a ${target.en}${hint ? ` (${hint.name}: ${hint.code})` : ''}`,
    };
  }
  return {
    'zh-CN': `“${label}”是${actual['zh-CN']}区划，此字段只选到${target['zh-CN']}`,
    en: `"${label}" is a ${actual.en}: this field stops at the ${target.en}`,
  };
}
