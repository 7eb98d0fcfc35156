import type { ReactNode } from 'react';
import type { TemplatePlace } from './draft.ts';

/** The problems shown at each control of the designer: the messages, in the admin's language. */
export type ProblemsAt = (place: TemplatePlace) => string[];

/**
 * A labelled control of the print template designer with its hint and, under it, the problems
 * at its place (red, announced).
 *
 * @example <Field place="rows" label="行数" problemsAt={problemsAt}><input … /></Field>
 */
export function Field({ place, label, hint, problemsAt, className, children }: {
  place: TemplatePlace;
  label: string;
  hint?: string | undefined;
  problemsAt: ProblemsAt;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={`field${className ? ` ${className}` : ''}`} data-place={place}>
      <span>{label}</span>
      {children}
      {hint ? <small className="muted">{hint}</small> : null}
      {problemsAt(place).map((message) => <span key={message} className="field-error" role="alert">{message}</span>)}
    </label>
  );
}
