import { existsSync } from 'node:fs';
import { FormaError } from '../errors.ts';

/** The Debian Chromium that renders PDFs (package `chromium`; never a downloaded browser). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The font printed Chinese is set in: WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`).
 * Chromium embeds its TrueType outlines as a subset CID font; Noto Sans CJK (OpenType/CFF) comes
 * out as dozens of Type 3 fonts and makes `page.pdf()` about twice as slow — measured in
 * docs/decisions/0013-print-libraries.md.
 */
export const CJK_FONT = {
  family: 'WenQuanYi Micro Hei',
  /** As `pdffonts` names the embedded subset ('AAAAAA+WenQuanYiMicroHei'). */
  pdfName: 'WenQuanYiMicroHei',
  file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  package: 'fonts-wqy-microhei',
} as const;

/**
 * The font-family list of every printed page and of page headers and footers: named
 * explicitly, so Chinese never depends on what fontconfig happens to pick. Noto Sans CJK, when
 * installed, only catches characters Micro Hei lacks.
 */
export const PRINT_FONT_FAMILY = `'${CJK_FONT.family}', 'Noto Sans CJK SC', sans-serif`;

/** A Debian package printing needs, and the file that proves it is installed. */
export interface SystemRequirement {
  package: string;
  file: string;
}

/** What printing needs outside npm (also listed in tests/support/system-packages.mjs, which installs them). */
export const PRINT_REQUIREMENTS: readonly SystemRequirement[] = [
  { package: 'chromium', file: CHROMIUM_PATH },
  { package: CJK_FONT.package, file: CJK_FONT.file },
];

/**
 * Makes sure Chromium and the Chinese font are installed before anything is printed: without
 * them a PDF would fail or come out with boxes instead of Chinese. Throws `print_setup_missing`
 * naming the missing packages and the exact `apt-get` command that installs them.
 *
 * @example checkPrintSetup(); // throws on a machine without fonts-wqy-microhei
 */
export function checkPrintSetup(requirements: readonly SystemRequirement[] = PRINT_REQUIREMENTS): void {
  const missing = requirements.filter((r) => !existsSync(r.file));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((r) => r.package))];
  throw new FormaError('print_setup_missing', {
    missing: missing.map((r) => `${r.package} (${r.file})`).join(', '),
    command: `apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`,
  });
}
