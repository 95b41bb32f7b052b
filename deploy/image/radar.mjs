#!/usr/bin/env node
// The image's entrypoint: `radar <command>`, the built CLI's own bin (pnpm build ran in the
// image's build stage; pnpm deploy copied each package's dist/).
await import(new URL('./node_modules/@radar/cli/bin/radar.mjs', import.meta.url).href);
