import type { FieldType } from './field-type.ts';
import { autonumber } from './autonumber.ts';
import { boolean } from './boolean.ts';
import { date } from './date.ts';
import { datetime } from './datetime.ts';
import { decimal } from './decimal.ts';
import { email } from './email.ts';
import { file } from './file.ts';
import { formula } from './formula.ts';
import { integer } from './integer.ts';
import { lines } from './lines.ts';
import { lookup } from './lookup.ts';
import { money } from './money.ts';
import { multiselect } from './multiselect.ts';
import { percent } from './percent.ts';
import { phone } from './phone.ts';
import { region } from './region.ts';
import { richtext } from './richtext.ts';
import { select } from './select.ts';
import { text } from './text.ts';
import { textarea } from './textarea.ts';
import { url } from './url.ts';
import { user } from './user.ts';

/** Every field type, by name. The entity meta-schema lists the same names (a test holds them equal). */
export const fieldTypes: ReadonlyMap<string, FieldType> = new Map(
  [
    text, textarea, richtext, integer, decimal, money, percent, boolean, date, datetime, select,
    multiselect, email, phone, url, lookup, lines, autonumber, formula, region, user, file,
  ].map((type) => [type.name, type]),
);

export function fieldType(name: string): FieldType {
  const type = fieldTypes.get(name);
  if (!type) throw new Error(`unknown field type ${name}`); // the meta-schema refuses these first
  return type;
}
