// Archiving a field in the entity manager takes it off the forms and lists that place it, in the same change.
import { describe, expect, it } from 'vitest';
import { entityChange, formerSpots, type Placement } from '../../app/admin/entities/placements.ts';
import type { EntityDocument, MetadataDocument } from '../../engine/metadata/model.ts';
import { entity, field, L } from '../support/documents.ts';

const stored = entity('customer', {
  name: field({ type: 'text' }), wechat: field({ type: 'text' }), level: field({ type: 'select', options: [{ value: 'A', label: L('A', 'A') }] }),
}) as unknown as EntityDocument;
const archived = (name: string): EntityDocument => structuredClone({
  ...stored,
  schema: { ...stored.schema, properties: { ...stored.schema.properties, [name]: { ...stored.schema.properties[name]!, 'x-forma': { ...stored.schema.properties[name]!['x-forma'], archived: true } } } },
});

const layout: MetadataDocument = {
  kind: 'layout', name: 'customer_form', label: L('客户表单', 'Customer form'), entity: 'customer',
  sections: [
    { name: 'basic', label: L('基本', 'Basics'), fields: ['name', { field: 'level', span: 2 }] },
    { name: 'contact', label: L('联系', 'Contact'), fields: ['wechat'] },
  ],
};
const view: MetadataDocument = {
  kind: 'listView', name: 'customer_all', label: L('全部客户', 'All customers'), entity: 'customer',
  columns: [{ field: 'name' }, { field: 'wechat', width: 120 }, { field: 'level' }],
  defaultSort: [{ field: 'wechat' }, { field: 'name', direction: 'desc' }],
  defaultFilter: { and: [{ field: 'wechat', op: 'is_not_empty' }, { not: { field: 'level', op: 'eq', value: 'A' } }] },
};
const contacts: MetadataDocument = {
  kind: 'listView', name: 'contact_all', label: L('联系人', 'Contacts'), entity: 'contact',
  columns: [{ field: 'name' }, { field: 'customer.wechat' }, { field: 'customer.level' }],
};
const placements: Placement[] = [{ document: layout, via: [] }, { document: view, via: [] }, { document: contacts, via: ['customer'] }];

describe('entityChange', () => {
  it('is the entity alone when no field is being archived', () => {
    expect(entityChange(stored, stored, placements)).toEqual({ upsert: [stored] });
  });

  it('takes an archived field off the form (empty sections go), the columns, sort, filter, and other lists one lookup away', () => {
    const draft = archived('wechat');
    const change = entityChange(draft, stored, placements);
    expect(change.upsert[0]).toBe(draft);
    expect(change.upsert[1]).toMatchObject({ name: 'customer_form', sections: [{ name: 'basic', fields: ['name', { field: 'level', span: 2 }] }] });
    expect(change.upsert[2]).toEqual({
      ...view, columns: [{ field: 'name' }, { field: 'level' }], defaultSort: [{ field: 'name', direction: 'desc' }],
      defaultFilter: { and: [{ not: { field: 'level', op: 'eq', value: 'A' } }] },
    });
    expect(change.upsert[3]).toEqual({ ...contacts, columns: [{ field: 'name' }, { field: 'customer.level' }] });
    expect(change.remove).toBeUndefined();
  });

  it('leaves documents that do not place the field alone, and removes one left with nothing', () => {
    const onlyWechat: MetadataDocument = { ...view, name: 'wechat_only', columns: [{ field: 'wechat' }], defaultSort: undefined, defaultFilter: undefined };
    const change = entityChange(archived('wechat'), stored, [{ document: contacts, via: ['owner'] }, { document: onlyWechat, via: [] }]);
    expect(change).toEqual({ upsert: [archived('wechat')], remove: [{ kind: 'listView', name: 'wechat_only' }] });
  });

  it('does nothing more for a field that was archived already', () => {
    const draft = archived('wechat');
    expect(entityChange(draft, draft, placements)).toEqual({ upsert: [draft] });
  });
});

describe('restoring a field', () => {
  const shared: MetadataDocument = {
    ...layout, sections: [{ name: 'basic', label: L('基本', 'Basics'), fields: ['name', { field: 'wechat', span: 2 }, 'level'] }],
  };
  const before: Placement[] = [{ document: shared, via: [] }, { document: view, via: [] }, { document: contacts, via: ['customer'] }];
  /** The documents as the archive left them. */
  const after = (placed: Placement[]): Placement[] => {
    const change = entityChange(archived('wechat'), stored, placed);
    return placed.map((p) => ({ ...p, document: change.upsert.find((d) => d.kind === p.document.kind && d.name === p.document.name) ?? p.document }));
  };

  it('knows where the field stood: its section, the item before it, the item itself', () => {
    expect(formerSpots(before, 'wechat')).toEqual([
      { kind: 'layout', name: 'customer_form', section: 'basic', after: 'name', item: { field: 'wechat', span: 2 } },
      { kind: 'listView', name: 'customer_all', after: 'name', item: { field: 'wechat', width: 120 } },
      { kind: 'listView', name: 'contact_all', after: 'name', item: { field: 'customer.wechat' } },
    ]);
    expect(formerSpots(before, 'nothing')).toEqual([]);
  });

  it('puts it back where it stood on the form and in the lists (its span and width too), not in their sort and filter', () => {
    const change = entityChange(stored, archived('wechat'), after(before), { wechat: formerSpots(before, 'wechat') });
    expect(change.upsert).toEqual([stored, shared, {
      ...view, defaultSort: [{ field: 'name', direction: 'desc' }], defaultFilter: { and: [{ not: { field: 'level', op: 'eq', value: 'A' } }] },
    }, contacts]);
  });

  it('puts it at the end of its section or list when the item before it is gone, and nowhere when its section is', () => {
    const spots = formerSpots(before, 'wechat').map((s) => ({ ...s, after: 'gone' }));
    const change = entityChange(stored, archived('wechat'), after(before), { wechat: spots });
    expect(change.upsert[1]).toMatchObject({ sections: [{ name: 'basic', fields: ['name', 'level', { field: 'wechat', span: 2 }] }] });
    expect(change.upsert[2]).toMatchObject({ columns: [{ field: 'name' }, { field: 'level' }, { field: 'wechat', width: 120 }] });
    const elsewhere = formerSpots(before, 'wechat').map((s) => ({ ...s, section: 'other' }));
    expect(entityChange(stored, archived('wechat'), after(before), { wechat: elsewhere }).upsert.map((d) => d.name))
      .toEqual(['customer', 'customer_all', 'contact_all']);
  });

  it('leaves a document that places the field again already, and a field restored without a former spot', () => {
    expect(entityChange(stored, archived('wechat'), before, { wechat: formerSpots(before, 'wechat') })).toEqual({ upsert: [stored] });
    expect(entityChange(stored, archived('wechat'), after(before))).toEqual({ upsert: [stored] });
  });
});
