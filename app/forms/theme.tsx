import { useState, type CSSProperties, type ReactNode } from 'react';
import type {
  FieldProps, FieldTemplateProps, ObjectFieldTemplateProps, RegistryFieldsType, RegistryWidgetsType, TemplatesType, WidgetProps,
} from '@rjsf/utils';
import { AttachmentsInput } from './attachments.tsx';
import { FieldInput } from './inputs.tsx';
import { LinesField } from './lines.tsx';
import type { FieldSpec, FormContext, PlacementSpec, SectionSpec, TabSpec } from './types.ts';

/**
 * Forma's small react-jsonschema-form theme: fields laid out by the admin's layout (sections as
 * cards of 1–3 columns, spans, tabs, `visibleWhen`), each field as the rest of the app draws one
 * (label, input, help, errors beside it), and one widget per Forma field type (inputs.tsx).
 */

function specOf(uiSchema: unknown): FieldSpec | undefined {
  return ((uiSchema as Record<string, unknown> | undefined)?.['ui:options'] as { spec?: FieldSpec } | undefined)?.spec;
}

/** Types whose input is a group of controls (no single element for a <label for>). */
const GROUPS = new Set(['lines', 'multiselect', 'region', 'file', 'formula', 'richtext']);

function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, rawErrors, rawHelp, required, hidden, fieldPathId, uiSchema, readonly } = props;
  if (fieldPathId.path.length === 0) return children;
  if (hidden) return <div hidden>{children}</div>;
  const spec = specOf(uiSchema);
  const errors = rawErrors ?? [];
  const type = spec?.type ?? 'text';
  const mark = required && !readonly ? <span className="required" aria-hidden="true">*</span> : null;
  const help = rawHelp ? <small className="help" id={`${id}__help`}>{rawHelp}</small> : null;
  return (
    <div className={`field form-field t-${type}${errors.length ? ' has-error' : ''}${readonly ? ' is-readonly' : ''}`} data-field={fieldPathId.path.join('.')}>
      {type === 'boolean' && !readonly ? (
        <label className="check" htmlFor={id}>{children}<span>{label}{mark}</span></label>
      ) : (
        <>
          {GROUPS.has(type) || readonly ? <span className="field-label" id={`${id}__label`}>{label}{mark}</span>
            : <label className="field-label" htmlFor={id}>{label}{mark}</label>}
          {children}
        </>
      )}
      {errors.map((error, i) => <div key={i} className="field-error" role="alert">{error}</div>)}
      {help}
    </div>
  );
}

interface Layout {
  sections: SectionSpec[];
  tabs: TabSpec[];
}

/**
 * The root object: its fields in the layout's sections, a card each, on tabs when the layout has
 * them (every tab stays mounted, so switching keeps what was typed). A field with `visibleWhen`
 * shows while the values satisfy its JSON Schema (checked with the form's own validator).
 */
function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const layout = ((props.uiSchema?.['ui:options'] as { layout?: Layout } | undefined)?.layout);
  const [chosen, setTab] = useState(layout?.tabs[0]?.name);
  if (!layout || props.fieldPathId.path.length) return <div>{props.properties.map((p) => p.content)}</div>;
  // The tab chosen, while the layout still has it (the layout designer's preview changes the tabs under the form).
  const tab = layout.tabs.some((tb) => tb.name === chosen) ? chosen : layout.tabs[0]?.name;
  const byName = new Map(props.properties.map((p) => [p.name, p]));
  const validator = props.registry.schemaUtils.getValidator();
  const visible = (placement: PlacementSpec) =>
    !placement.visibleWhen || validator.isValid(placement.visibleWhen as never, props.formData ?? {}, props.registry.rootSchema);
  return (
    <>
      {layout.tabs.length ? (
        <div className="tabs" role="tablist">
          {layout.tabs.map((tb) => (
            <button key={tb.name} type="button" role="tab" aria-selected={tab === tb.name} className={tab === tb.name ? 'active' : undefined}
              onClick={() => setTab(tb.name)}>{tb.label}</button>
          ))}
        </div>
      ) : null}
      {layout.sections.map((section) => (
        <section key={section.name} className="card section form-section" data-section={section.name}
          hidden={Boolean(layout.tabs.length && section.tab && section.tab !== tab)}>
          <h2>{section.label}</h2>
          <div className="form-grid" style={{ '--columns': section.columns } as CSSProperties}>
            {section.fields.filter(visible).map((placement) => (
              <div key={placement.name} className={`form-cell${section.fields.length === 1 ? ' solo' : ''}`}
                style={placement.span > 1 ? { gridColumn: `span ${placement.span}` } : undefined}>
                {byName.get(placement.name)?.content}
              </div>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

function Nothing(): ReactNode {
  return null;
}

export const templates: Partial<TemplatesType> = {
  FieldTemplate,
  ObjectFieldTemplate,
  ErrorListTemplate: Nothing,
  DescriptionFieldTemplate: Nothing,
  TitleFieldTemplate: Nothing,
};

/** Every Forma widget is the same adapter: rjsf's widget props to the FieldSpec-driven input. */
function SpecWidget(props: WidgetProps) {
  const spec = (props.options as { spec?: FieldSpec }).spec;
  const ctx = props.registry.formContext as FormContext;
  if (!spec) return null;
  return (
    <FieldInput id={props.id} spec={spec} value={props.value} ctx={ctx} readOnly={Boolean(props.readonly || props.disabled)}
      invalid={Boolean(props.rawErrors?.length)} onChange={(value) => props.onChange(value)} />
  );
}

export const widgets: RegistryWidgetsType = Object.fromEntries(
  ['text', 'textarea', 'number', 'date', 'datetime', 'checkbox', 'choice', 'choices', 'lookup', 'user', 'region', 'autonumber', 'formula', 'richtext']
    .map((name) => [name, SpecWidget]),
);

/** Attachments: listed with download links, uploaded from the form (attachments.tsx). */
function AttachmentsField(props: FieldProps) {
  const spec = specOf(props.uiSchema);
  const ctx = props.registry.formContext as FormContext;
  if (!spec) return null;
  return (
    <AttachmentsInput id={props.fieldPathId.$id} spec={spec} value={props.formData} ctx={ctx}
      readOnly={Boolean(props.readonly || props.disabled)} onChange={(value) => props.onChange(value, props.fieldPathId.path)} />
  );
}

export const fields: RegistryFieldsType = { lines: LinesField, attachments: AttachmentsField };
