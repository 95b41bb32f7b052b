#!/usr/bin/env node
// The image's entrypoint: `radar <command>`. The CLI is TypeScript run through tsx today (no
// compiled build yet), so tsx is a production dependency of this package only. When @radar/cli
// ships built JavaScript with a bin entry, this file imports that instead and tsx goes.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./node_modules/@radar/cli/src/main.ts', import.meta.url).href);
