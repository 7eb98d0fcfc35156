#!/usr/bin/env node
// `npx forma …`: the command line for consultants and scripts. Node 20 cannot run TypeScript
// itself, so tsx is registered before the commands (app/cli/main.ts) are loaded.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
