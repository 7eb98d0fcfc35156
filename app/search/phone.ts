/**
 * The phone number a search text is, or undefined when it is anything else: digits with the
 * punctuation people type in numbers (spaces, dashes, dots, brackets, a leading + as in +86),
 * 5 to 20 digits — 10086 and 95555 are numbers too, as are 021-6888 1234 and +86 138 0013 8000.
 * Full-width digits from a Chinese input method (１３８…) count as digits. A date (2026-11-22)
 * is not a number anyone calls from.
 *
 * @example phoneQuery(' +86 138-0013-8000 ') // '+86 138-0013-8000'
 * @example phoneQuery('新时代') // undefined
 */
export function phoneQuery(text: string): string | undefined {
  const number = text.normalize('NFKC').trim();
  if (!/^\+?[0-9(][0-9 \-().]*$/.test(number)) return undefined;
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(number)) return undefined;
  const digits = number.replace(/[^0-9]/g, '').length;
  return digits >= 5 && digits <= 20 ? number : undefined;
}
