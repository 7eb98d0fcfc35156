import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { t } from '../../text/index.ts';
import { useDesigner } from './designer.ts';
import { areaId } from './dnd.ts';
import { PALETTE } from './draft.ts';
import { PaletteField } from './FieldRow.tsx';

/**
 * The entity's active fields not on the layout, in the entity's order: dragged from here into a
 * section (or put in one with the list beside each), and dropped back here to take a field off.
 */
export function Palette() {
  const { draft, locale } = useDesigner();
  const { setNodeRef, isOver } = useDroppable({ id: areaId(PALETTE), data: { area: PALETTE } });
  return (
    <section ref={setNodeRef} className={`card al-palette${isOver ? ' over' : ''}`} aria-labelledby="al-palette-title" data-area={PALETTE}>
      <h2 id="al-palette-title">{t(locale, 'al_palette')} <span className="muted">{draft.palette.length}</span></h2>
      <p className="muted al-hint">{t(locale, 'al_palette_hint')}</p>
      <SortableContext items={draft.palette.map((p) => p.id)} strategy={verticalListSortingStrategy}>
        <ul className="al-fields al-palette-fields">
          {draft.palette.map((p) => <PaletteField key={p.id} placement={p} />)}
        </ul>
      </SortableContext>
      {draft.palette.length ? null : <p className="muted al-empty">{t(locale, 'al_palette_empty')}</p>}
    </section>
  );
}
