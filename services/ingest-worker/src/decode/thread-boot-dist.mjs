// Built code: hooks do not cross into worker threads, so the thread adds the radar-dist export
// condition itself (see services/cli/bin/radar.mjs), then loads the compiled thread module.
import { registerHooks } from 'node:module';

registerHooks({
  resolve: (specifier, context, next) =>
    next(specifier, { ...context, conditions: [...context.conditions, 'radar-dist'] }),
});
await import('./thread.js');
