import { createElement } from 'react';
import { iconSet, unknownIcon } from './icon-set.ts';

/**
 * An icon of the metadata (`icon` of a module or an entity) as inline SVG in the current text
 * colour; a name outside the set shows a dashed square. Decorative unless given a `title`.
 *
 * @example <Icon name="users" />
 */
export function Icon({ name, size = 16, title }: { name: string; size?: number; title?: string }) {
  const nodes = iconSet[name] ?? unknownIcon;
  return (
    <svg
      className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2}
      strokeLinecap="round" strokeLinejoin="round" data-icon={name} {...(title ? { role: 'img', 'aria-label': title } : { 'aria-hidden': true })}
    >
      {title ? <title>{title}</title> : null}
      {nodes.map(([tag, attributes], i) => createElement(tag, { key: i, ...attributes }))}
    </svg>
  );
}
