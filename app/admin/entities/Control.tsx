import type { ReactNode } from 'react';

/**
 * One labelled control of the entity manager with its problems right under it (the manager's
 * own checks and the engine's, see problems.ts). `data-control` names the control, so a test or
 * a problem list can find it.
 */
export function Control({ control, label, messages, hint, children, className, group }: {
  control: string;
  label: ReactNode;
  messages: readonly string[];
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
  /** The control is made of several buttons (a picker): named as a group, since a label would click its first button. */
  group?: boolean;
}) {
  const id = `ae-control-${control.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  return (
    <div className={`field ae-control${messages.length ? ' has-error' : ''}${className ? ` ${className}` : ''}`} data-control={control}>
      {group ? (
        <div role="group" aria-labelledby={id}>
          <span className="ae-control-label" id={id}>{label}</span>
          {children}
        </div>
      ) : (
        <label>
          <span className="ae-control-label">{label}</span>
          {children}
        </label>
      )}
      {hint ? <div className="ae-hint muted">{hint}</div> : null}
      <Messages messages={messages} />
    </div>
  );
}

/** Problems at a place, each on its own line, announced to screen readers. */
export function Messages({ messages }: { messages: readonly string[] }) {
  return messages.map((message, i) => <div key={i} className="field-error" role="alert">{message}</div>);
}
