#!/usr/bin/env node
// The installed `radar` command: the built CLI (pnpm build). Its workspace imports must resolve
// to their dist/, which the radar-dist export condition selects; a hook adds it here, so the
// command needs no node flag (`node --conditions=radar-dist` does the same).
import { registerHooks } from 'node:module';

registerHooks({
  resolve: (specifier, context, next) =>
    next(specifier, { ...context, conditions: [...context.conditions, 'radar-dist'] }),
});
await import('../dist/main.js');
