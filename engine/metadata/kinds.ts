import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.ts';
import common from './schemas/common.schema.json' with { type: 'json' };
import entity from './schemas/entity.schema.json' with { type: 'json' };
import layout from './schemas/layout.schema.json' with { type: 'json' };
import listView from './schemas/listView.schema.json' with { type: 'json' };
import numbering from './schemas/numbering.schema.json' with { type: 'json' };
import workflow from './schemas/workflow.schema.json' with { type: 'json' };
import automation from './schemas/automation.schema.json' with { type: 'json' };
import report from './schemas/report.schema.json' with { type: 'json' };
import printTemplate from './schemas/printTemplate.schema.json' with { type: 'json' };
import role from './schemas/role.schema.json' with { type: 'json' };
import moduleSchema from './schemas/module.schema.json' with { type: 'json' };
import packageManifest from './schemas/package.schema.json' with { type: 'json' };

/** Every metadata kind with its published meta-schema (`engine/metadata/schemas/<kind>.schema.json`). */
export const metaSchemas = {
  entity, layout, listView, numbering, workflow, automation, report, printTemplate, role, module: moduleSchema, package: packageManifest,
} as const;

export type Kind = keyof typeof metaSchemas;
export const kinds = Object.keys(metaSchemas) as Kind[];

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && Object.hasOwn(metaSchemas, value);
}

let validators: Map<Kind, ValidateFunction> | undefined;

/** The compiled meta-schema of a kind; all are compiled once per process, on first use. */
export function metaSchemaValidator(kind: Kind): ValidateFunction {
  if (!validators) {
    const ajv = createAjv();
    ajv.addSchema(common);
    for (const schema of Object.values(metaSchemas)) ajv.addSchema(schema);
    validators = new Map(kinds.map((k) => [k, ajv.getSchema(metaSchemas[k].$id)!]));
  }
  return validators.get(kind)!;
}
