#!/usr/bin/env -S node --conditions=radar-dist
// The installed `radar` command: the built CLI (pnpm build), whose workspace imports resolve to
// their dist/ through the radar-dist export condition set on the line above.
import '../dist/main.js';
