// /admin/print-preview — the print template designer's previews (app/admin/print/*), admins only.
//   GET  ?entity=quote[&q=text]  the records a preview can use: the latest, or those the quick search finds
//   POST (template, record, sample, locale; CSRF-checked)  the draft rendered as inert HTML (JSON answer)
//   POST ?format=pdf  the same through the PDF renderer: application/pdf with its page count, or 422 with the problems
import { requireAdministrator } from '../admin/admin.server.ts';
import { PAGES_HEADER } from '../admin/print/preview.ts';
import { previewHtml, previewInput, previewPdf } from '../admin/print/preview.server.ts';
import { sampleRecords } from '../admin/print/templates.server.ts';
import { printRenderer } from '../print.server.ts';
import { requireFormCsrf } from '../staff.server.ts';
import type { Route } from './+types/admin.print-preview';

const NO_STORE = { 'Cache-Control': 'no-store' };

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const query = new URL(request.url).searchParams;
  const records = await sampleRecords(admin, query.get('entity') ?? '', (query.get('q') ?? '').slice(0, 100));
  return Response.json({ records }, { headers: NO_STORE });
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = await requireAdministrator(request, context);
  const form = await request.formData();
  await requireFormCsrf(admin, form);
  const input = previewInput(form);
  if (new URL(request.url).searchParams.get('format') !== 'pdf') return Response.json(await previewHtml(admin, input), { headers: NO_STORE });
  const result = await previewPdf(admin, input, printRenderer());
  if ('answer' in result) return Response.json(result.answer, { status: 422, headers: NO_STORE });
  return new Response(new Uint8Array(result.pdf), {
    headers: { ...NO_STORE, 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="preview.pdf"', [PAGES_HEADER]: String(result.pages) },
  });
}
