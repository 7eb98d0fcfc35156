#!/usr/bin/env node
// The production server `npm start` runs (app/cli/start.mjs) once the app is built: the built
// client's static files and the app itself (build/server) on Express. Ours rather than
// react-router-serve so that every request's client address reaches the routes, in the load
// context (app/load-context.ts): the system log records it and sign-in limits count by it.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Before anything loads React: a production build rendered by a development React fails on
// every page. Static imports would run first, hence the dynamic ones below.
process.env.NODE_ENV ??= 'production';
const { createRequestHandler } = await import('@react-router/express');
const { default: compression } = await import('compression');
const { default: express } = await import('express');
const { default: morgan } = await import('morgan');
const { tsImport } = await import('tsx/esm/api');
const root = fileURLToPath(new URL('..', import.meta.url));
const client = path.join(root, 'build', 'client');

// The same checked configuration as the app's, so a bad variable stops the server at once.
const { getConfig } = await tsImport('./config.server.ts', import.meta.url);
let config;
try {
  config = getConfig();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const app = express();
app.disable('x-powered-by');
// One hop: the proxy in front appends the address it saw to X-Forwarded-For; what comes before
// it in the header is the client's to make up.
if (config.trustProxy) app.set('trust proxy', 1);
app.use(compression());
// Built assets are named by their content's hash: a changed file gets a new name, so browsers keep them for good.
app.use('/assets', express.static(path.join(client, 'assets'), { immutable: true, maxAge: '1y' }));
app.use(express.static(client, { maxAge: '1h' }));
app.use(morgan('tiny'));
app.all('*', createRequestHandler({
  build: await import(pathToFileURL(path.join(root, 'build', 'server', 'index.js')).href),
  mode: process.env.NODE_ENV,
  getLoadContext: (req) => ({ clientAddress: clientAddress(req) }),
}));

const server = app.listen(config.port, () => console.log(`[forma] listening on http://localhost:${config.port}`));
// The database closes itself on the same signals (app/db.server.ts): the process ends once both are done.
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close());

/**
 * The client's address: the connection's peer, or behind a trusted proxy the address it saw
 * (`req.ip`). An IPv4 client of a dual-stack socket shows as `::ffff:192.168.1.20`: logged as
 * `192.168.1.20`, as people know it.
 */
function clientAddress(req) {
  const address = config.trustProxy ? req.ip : req.socket.remoteAddress;
  return address?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}
