import { index, layout, route, type RouteConfig } from '@react-router/dev/routes';

export default [
  route('health', 'routes/health.ts'),
  // Staff screens: sign-in outside the frame, everything else inside it (signed in only).
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.ts'),
  route('locale', 'routes/locale.ts'),
  layout('routes/shell.tsx', [
    index('routes/shell.home.tsx'),
    route('account/password', 'routes/shell.password.tsx'),
    route('r/:entity', 'routes/shell.list.tsx'),
    route('search', 'routes/shell.search.tsx'),
    route('r/:entity/board', 'routes/shell.board.tsx'),
    // Record forms: one module for both (app/forms/*).
    route('r/:entity/new', 'routes/shell.form.tsx', { id: 'routes/shell.form.new' }),
    route('r/:entity/:id/edit', 'routes/shell.form.tsx', { id: 'routes/shell.form.edit' }),
    route('r/:entity/:id', 'routes/shell.record.tsx'),
  ]),
  // The next page of a board column ("load more"), as JSON for the board.
  route('r/:entity/board/cards', 'routes/board.cards.ts'),
  // The REST API (resource routes: no component, every answer a JSON Response).
  route('api/v1/openapi.json', 'routes/api.openapi.ts'),
  route('api/v1/records/:entity', 'routes/api.records.ts'),
  route('api/v1/records/:entity/query', 'routes/api.records.query.ts'),
  route('api/v1/records/:entity/search', 'routes/api.records.search.ts'),
  route('api/v1/records/:entity/similar', 'routes/api.records.similar.ts'),
  route('api/v1/records/:entity/batch', 'routes/api.records.batch.ts'),
  route('api/v1/records/:entity/export', 'routes/api.records.export.ts'),
  route('api/v1/phone-lookup', 'routes/api.phone-lookup.ts'),
  route('api/v1/system-log', 'routes/api.system-log.ts'),
  route('api/v1/records/:entity/:id', 'routes/api.record.ts'),
  route('api/v1/records/:entity/:id/restore', 'routes/api.record.restore.ts'),
  route('api/v1/records/:entity/:id/purge', 'routes/api.record.purge.ts'),
  route('api/v1/records/:entity/:id/history', 'routes/api.record.history.ts'),
  route('api/v1/records/:entity/:id/shares', 'routes/api.record.shares.ts'),
  route('api/v1/records/:entity/:id/shares/:share', 'routes/api.record.share.ts'),
  route('api/v1/session', 'routes/api.session.ts'),
  route('api/v1/session/password', 'routes/api.session.password.ts'),
  route('api/v1/regions', 'routes/api.regions.ts'),
  route('api/v1/files', 'routes/api.files.ts'),
  route('api/v1/files/:id', 'routes/api.file.ts'),
  route('api/*', 'routes/api.not-found.ts'),
] satisfies RouteConfig;
