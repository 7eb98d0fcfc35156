// Dragging fields between the palette and the sections (dnd-kit): the ids of the drop areas, how
// a drop place is found under the pointer, and where a field dragged over another one lands.
import { closestCenter, closestCorners, pointerWithin, type CollisionDetection, type UniqueIdentifier } from '@dnd-kit/core';
import { locate, PALETTE, type LayoutDraft } from './draft.ts';

/** The drop area of a section (or of the palette: `PALETTE`), told apart from the fields' own ids (field names, no colon). */
export const areaId = (container: string) => `area:${container}`;

/** The section (or PALETTE) a drop area id names, if it names one. */
export function containerOfArea(id: UniqueIdentifier): string | undefined {
  const text = String(id);
  return text.startsWith('area:') ? text.slice(5) : undefined;
}

/**
 * Pointer first: the field under the pointer, else the closest field of the area under the
 * pointer (or the empty area itself). Without a pointer — dragging with the keyboard — the
 * closest corners, which is what `sortableKeyboardCoordinates` steps through.
 */
export const fieldCollisions: CollisionDetection = (args) => {
  if (!args.pointerCoordinates) return closestCorners(args);
  const under = pointerWithin(args);
  const field = under.find((hit) => containerOfArea(hit.id) === undefined);
  if (field) return [field];
  const area = under.find((hit) => containerOfArea(hit.id) !== undefined);
  if (!area) return [];
  const fields = args.droppableContainers.filter((d) => d.data.current?.container === containerOfArea(area.id));
  return fields.length ? closestCenter({ ...args, droppableContainers: fields }) : [area];
};

/**
 * Where the dragged field goes when it is over `overId` (a field or an area): the container,
 * and the index in it — before the field it is over, or after it when its middle is below
 * that field's middle; at the top of an area entered from above, else at its end.
 */
export function dropPlace(
  draft: LayoutDraft, overId: UniqueIdentifier, activeMiddle: number | undefined, overRect: { top: number; height: number } | undefined,
): { container: string; index: number } | undefined {
  const area = containerOfArea(overId);
  const overMiddle = overRect ? overRect.top + overRect.height / 2 : undefined;
  const below = activeMiddle !== undefined && overMiddle !== undefined && activeMiddle > overMiddle;
  if (area !== undefined) {
    const length = area === PALETTE ? draft.palette.length : draft.sections.find((s) => s.name === area)?.fields.length ?? 0;
    return { container: area, index: below ? length : 0 };
  }
  const place = locate(draft, String(overId));
  return place && { container: place.container, index: place.index + (below ? 1 : 0) };
}
