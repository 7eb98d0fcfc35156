#!/usr/bin/env node
// Runs a TypeScript file on Node 20, which cannot strip types itself:
//   node app/cli/run-ts.mjs <file.ts> [args…]
// The file sees process.argv as if it had been started directly: [node, file.ts, args…].
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node app/cli/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}

register();
const entry = path.resolve(file);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
