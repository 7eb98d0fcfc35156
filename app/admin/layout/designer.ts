// What the parts of the form layout designer share through React context: the draft and its
// edit function, the entity's fields, and the problems by control (LayoutDesigner.tsx provides it).
import { createContext, useContext } from 'react';
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import { t, type Locale } from '../../text/index.ts';
import type { FieldInfo, LayoutDraft } from './draft.ts';

export interface Designer {
  locale: Locale;
  draft: LayoutDraft;
  fields: ReadonlyMap<string, FieldInfo>;
  /** The entity's field names in its order (the palette keeps it). */
  order: readonly string[];
  edit(change: (draft: LayoutDraft) => LayoutDraft): void;
  /** Problems of one control: the designer's own, the engine's, and unfinished input (JSON being typed). */
  problemsAt(at: string): string[];
  /** Reports (or, with undefined, clears) input a control cannot turn into the draft yet. */
  setPending(at: string, message: string | undefined): void;
  /** Brings a section into the preview's view: the one the admin is working on. */
  showSection(name: string): void;
}

export const DesignerContext = createContext<Designer | null>(null);

/** The designer's shared state, for its parts. */
export function useDesigner(): Designer {
  const designer = useContext(DesignerContext);
  if (!designer) throw new Error('useDesigner outside LayoutDesigner');
  return designer;
}

/** A text of the catalogue in both languages: new sections' and tabs' titles start as these. */
export function bothLanguages(key: 'al_section_new' | 'al_tab_new'): LocalizedText {
  return { 'zh-CN': t('zh-CN', key), en: t('en', key) };
}
