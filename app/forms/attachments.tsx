import { useRef, useState } from 'react';
import { t } from '../text/index.ts';
import type { FieldSpec, FormContext } from './types.ts';

/** What a `file` field holds, one per attached file (engine/field-types/file.ts). */
export interface Attachment {
  id: string;
  name: string;
  size?: number;
  contentType?: string;
}

/** 1.2 MB, 35 KB, 800 B. */
export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The attachments of a `file` field: each file's name (a download link once saved), size and a
 * remove button, and a file chooser that uploads what is chosen (`POST /api/v1/files`, one
 * request per file) and adds the references the server gives back to the field's value. A
 * refused upload (too large, not allowed) is shown beside the field in the person's language;
 * the field keeps what it had.
 */
export function AttachmentsInput({ id, spec, value, ctx, readOnly, onChange }: {
  id: string; spec: FieldSpec; value: unknown; ctx: FormContext; readOnly: boolean; onChange: (value: Attachment[] | undefined) => void;
}) {
  const files = (Array.isArray(value) ? value : []) as Attachment[];
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const chooser = useRef<HTMLInputElement>(null);
  const multiple = spec.multiple === true;

  async function upload(chosen: File[]) {
    setBusy(true);
    setErrors([]);
    const added: Attachment[] = [];
    const failed: string[] = [];
    for (const file of chosen) {
      const url = `/api/v1/files?entity=${encodeURIComponent(ctx.entity)}&field=${encodeURIComponent(spec.name)}`;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            Accept: 'application/json', 'X-CSRF-Token': ctx.csrfToken, 'X-File-Name': encodeURIComponent(file.name),
            'Content-Type': file.type || 'application/octet-stream',
          },
          body: file,
        });
        const body = (await response.json().catch(() => undefined)) as { error?: { message?: Record<string, string> } } & Attachment | undefined;
        if (response.ok && body) added.push({ id: body.id, name: body.name, size: body.size, contentType: body.contentType });
        else failed.push(`${file.name}: ${body?.error?.message?.[ctx.locale] ?? t(ctx.locale, 'form_upload_failed', { status: response.status })}`);
      } catch {
        failed.push(`${file.name}: ${t(ctx.locale, 'form_upload_failed', { status: 0 })}`);
      }
    }
    setBusy(false);
    setErrors(failed);
    if (added.length) {
      setFresh((before) => new Set([...before, ...added.map((a) => a.id)]));
      onChange(multiple ? [...files, ...added] : added.slice(-1));
    }
  }

  const remove = (fileId: string) => {
    const rest = files.filter((f) => f.id !== fileId);
    onChange(rest.length ? rest : undefined);
  };

  return (
    <div className="attachments" id={id}>
      {files.length ? (
        <ul className="attachment-list">
          {files.map((f) => (
            <li key={f.id}>
              {fresh.has(f.id) ? <span>{f.name}</span> : <a href={`/api/v1/files/${encodeURIComponent(f.id)}`} download={f.name}>{f.name}</a>}
              {f.size !== undefined ? <small className="help"> {fileSize(f.size)}</small> : null}
              {readOnly ? null : (
                <button type="button" className="link" aria-label={t(ctx.locale, 'form_remove_file', { name: f.name })} onClick={() => remove(f.id)}>
                  {t(ctx.locale, 'form_remove_file_short')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : readOnly ? <span>—</span> : null}
      {readOnly ? null : (
        <div>
          <input ref={chooser} type="file" id={`${id}__file`} multiple={multiple} disabled={busy} aria-label={spec.label}
            onChange={(e) => {
              const chosen = Array.from(e.target.files ?? []);
              e.target.value = '';
              if (chosen.length) void upload(multiple ? chosen : chosen.slice(0, 1));
            }} />
          {busy ? <small className="help">{t(ctx.locale, 'form_uploading')}</small> : null}
          {spec.maxSizeMb ? <small className="help"> {t(ctx.locale, 'form_upload_limit', { limit: spec.maxSizeMb })}</small> : null}
        </div>
      )}
      {errors.map((error) => <div key={error} className="field-error" role="alert">{error}</div>)}
    </div>
  );
}
