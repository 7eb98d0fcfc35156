import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A small drop-down menu: a `<details>` (it opens without scripts), closed again by a click
 * outside it or Escape once scripts run.
 */
export function Menu({ label, className, children, align = 'left', testId }: { label: ReactNode; className?: string; children: ReactNode; align?: 'left' | 'right'; testId?: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      const details = ref.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details ref={ref} className={`tool-menu${className ? ` ${className}` : ''}`} data-testid={testId}>
      <summary className="button">{label}</summary>
      <div className={`menu-panel ${align}`}>{children}</div>
    </details>
  );
}
