import { KeyboardCode, type KeyboardCoordinateGetter } from '@dnd-kit/core';

/**
 * Keyboard dragging on the board: the left and right arrow keys carry the picked-up card to the
 * next column in that direction (its top, where a moved card lands), instead of dnd-kit's
 * default 25-pixel steps, which would take a dozen key presses per column. Up and down do nothing:
 * a column's order is its sort, not a place people choose.
 */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context: { active, collisionRect, droppableRects, droppableContainers } }) => {
  if (event.code !== KeyboardCode.Left && event.code !== KeyboardCode.Right && event.code !== KeyboardCode.Up && event.code !== KeyboardCode.Down) return undefined;
  event.preventDefault();
  if (!active || !collisionRect || event.code === KeyboardCode.Up || event.code === KeyboardCode.Down) return undefined;
  const centre = collisionRect.left + collisionRect.width / 2;
  const columns = droppableContainers.getEnabled()
    .map((container) => droppableRects.get(container.id))
    .filter((rect): rect is NonNullable<typeof rect> => rect !== undefined);
  const right = event.code === KeyboardCode.Right;
  const target = columns
    .filter((rect) => (right ? rect.left > centre : rect.left + rect.width < centre))
    .sort((a, b) => (right ? a.left - b.left : b.left - a.left))[0];
  if (!target) return undefined;
  // Where the card's top-left corner goes: inside the column, near its top.
  return { x: target.left + Math.max(0, (target.width - collisionRect.width) / 2), y: target.top + 48 };
};
