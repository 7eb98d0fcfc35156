import type { LocalizedText } from '../../engine/i18n/text.ts';
import type { Model } from '../../engine/metadata/model.ts';
import { pageSize, type PaperSize } from '../../engine/print/paper.ts';
import type { PrintTemplateDocument } from '../../engine/print/template-document.ts';
import type { Access } from '../../engine/security/access.ts';
import { label, type Locale } from '../text/index.ts';
import type { PrintTemplateView } from './PrintMenu.tsx';

/** A print template someone may use, as the API lists it and the Print buttons offer it. */
export interface PrintTemplateChoice {
  name: string;
  /** The entity it prints. */
  entity: string;
  label: LocalizedText;
  /** The paper as the template names it ('A4', 'DL'…) or its custom size. */
  paper: PrintTemplateDocument['paper'];
  orientation: 'portrait' | 'landscape';
  /** The printed page in millimetres (turned for landscape). */
  size: PaperSize;
  /** For a label template: its sheet, and the cell the first label goes in unless told otherwise. */
  labels: { rows: number; columns: number; startPosition: number } | null;
}

/**
 * The print templates of the model the person may use: those of `entity` (or of every entity)
 * they may print records of (the `print` and `read` rights), in the order of their labels (zh-CN). None for an entity they
 * may not print — or that does not exist for them.
 *
 * @example printTemplateChoices(staff.model, staff.access, 'customer').map((c) => c.name) // ['envelope_dl', 'address_labels', 'customer_statement']
 */
export function printTemplateChoices(model: Model, access: Access, entity?: string): PrintTemplateChoice[] {
  return [...model.values()]
    .filter((doc): doc is PrintTemplateDocument => doc.kind === 'printTemplate')
    .filter((doc) => (entity === undefined || doc.entity === entity) && printable(access, doc.entity))
    .map((doc) => ({
      name: doc.name,
      entity: doc.entity,
      label: doc.label,
      paper: doc.paper,
      orientation: doc.orientation ?? 'portrait',
      size: pageSize(doc),
      labels: doc.labels ? { rows: doc.labels.rows, columns: doc.labels.columns, startPosition: doc.labels.startPosition ?? 1 } : null,
    }))
    .sort((a, b) => a.label['zh-CN'].localeCompare(b.label['zh-CN'], 'zh-CN') || a.name.localeCompare(b.name));
}

/** The templates of an entity the person may use, as the Print buttons show them (app/print/PrintMenu.tsx, BatchPrint.tsx). */
export function printTemplateViews(model: Model, access: Access, entity: string, locale: Locale): PrintTemplateView[] {
  return printTemplateChoices(model, access, entity).map((choice) => ({ name: choice.name, label: label(choice.label, locale), labels: choice.labels }));
}

/** Whether the person may print records of the entity: the `print` right, and reading them (printing shows them). */
function printable(access: Access, entity: string): boolean {
  const rights = access.entity(entity)?.rights;
  return Boolean(rights?.has('print') && rights.has('read'));
}
