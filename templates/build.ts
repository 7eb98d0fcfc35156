// The built-in print templates as the standard CRM package ships them (decision 0016): each
// templates/<name>.hbs becomes metadata/standard-crm/print-templates/<name>.json, the document
// a package lists and installs. Run after changing a template:
//   npm run templates:build
// tests/engine/print-templates.test.ts fails while a package document differs from its source.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormaError } from '../engine/errors.ts';
import { readTemplateFile } from '../engine/print/template-file.ts';

/** Where the template sources are: this folder. */
export const templatesDir = fileURLToPath(new URL('.', import.meta.url));

/** Where the standard CRM package keeps the documents made of them. */
export const packageTemplatesDir = fileURLToPath(new URL('../metadata/standard-crm/print-templates/', import.meta.url));

/** One built-in template: its name and the text of the package document made of it. */
export interface BuiltTemplate {
  name: string;
  json: string;
}

/**
 * Every templates/*.hbs, in name order, as the JSON text of its package document; a file that is
 * no template file is `package_invalid` with its problem.
 */
export async function builtTemplates(): Promise<BuiltTemplate[]> {
  const files = (await readdir(templatesDir)).filter((file) => file.endsWith('.hbs')).sort();
  return Promise.all(files.map(async (file) => {
    const read = readTemplateFile(await readFile(path.join(templatesDir, file), 'utf8'), `templates/${file}`);
    if ('problem' in read) throw new FormaError('package_invalid', { count: 1 }, [read.problem]);
    return { name: file.slice(0, -'.hbs'.length), json: `${JSON.stringify(read.document, null, 2)}\n` };
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await mkdir(packageTemplatesDir, { recursive: true });
  for (const { name, json } of await builtTemplates()) {
    await writeFile(path.join(packageTemplatesDir, `${name}.json`), json);
    console.log(`metadata/standard-crm/print-templates/${name}.json`);
  }
}
