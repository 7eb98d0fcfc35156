// The demo company's profile (公司信息): a made-up Shanghai company, with a logo and a seal
// drawn here as SVG, so printed demo documents have a letterhead and a stamp.
import { storeFile } from '../../../engine/files/files.ts';
import type { RecordsContext } from '../../../engine/records/context.ts';
import { createRecord } from '../../../engine/records/write.ts';
import type { Actor } from '../../../engine/security/actor.ts';

/** The demo company: not a real one (example domain, made-up numbers). */
export const demoCompany = {
  name: '上海新时代示范科技有限公司',
  english_name: 'Shanghai Xinshidai Demo Technology Co., Ltd.',
  region: '310104',
  address: '宜山路 700 号 C 座 12 楼',
  postcode: '200233',
  phone: '021-6482 0000',
  fax: '021-6482 0001',
  email: 'sales@demo.forma.example',
  website: 'https://demo.forma.example',
  tax_no: '91310104MA0000000D',
  bank_name: '示范银行上海徐汇支行',
  bank_account: '3100 0000 0000 0000 001',
} as const;

/** A blue square with a white peak and a gold sun: the demo company's logo. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 120 120">
<rect width="120" height="120" rx="22" fill="#1d4ed8"/>
<path d="M16 88 L48 34 L66 64 L78 48 L104 88 Z" fill="#fff"/>
<circle cx="86" cy="30" r="10" fill="#fbbf24"/>
</svg>`;

/** A round red company seal: the name along the top of the ring, a star in the middle. */
function sealSvg(name: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 200 200">
<g fill="none" stroke="#d7191c" stroke-width="6"><circle cx="100" cy="100" r="92"/></g>
<path id="arc" d="M 36 136 A 72 72 0 1 1 164 136" fill="none"/>
<text font-family="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif" font-size="24" font-weight="bold" fill="#d7191c">
<textPath href="#arc" textLength="330" lengthAdjust="spacing">${name}</textPath></text>
<path fill="#d7191c" d="M100 62 L109.4 89 L138 89.3 L115.2 106.6 L123.5 134 L100 117.7 L76.5 134 L84.8 106.6 L62 89.3 L90.6 89 Z"/>
<text x="100" y="166" text-anchor="middle" font-family="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif" font-size="17" fill="#d7191c">业务专用章</text>
</svg>`;
}

/**
 * Writes the company profile of the demo — with the logo and seal stored as files when `dataDir`
 * (where Forma keeps files) is given — as the administrator.
 *
 * @example await seedCompanyProfile(ctx, admin, '/var/lib/forma')
 */
export async function seedCompanyProfile(ctx: RecordsContext, admin: Actor, dataDir?: string): Promise<void> {
  const picture = async (field: 'logo' | 'seal', svg: string, dir: string) => [await storeFile(ctx, admin, {
    entity: 'company', field, name: `${field}.svg`, contentType: 'image/svg+xml', bytes: new TextEncoder().encode(svg), dataDir: dir,
  })];
  const pictures = dataDir ? { logo: await picture('logo', LOGO_SVG, dataDir), seal: await picture('seal', sealSvg(demoCompany.name), dataDir) } : {};
  await createRecord(ctx, admin, 'company', { ...demoCompany, ...pictures });
}
