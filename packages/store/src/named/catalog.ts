import { z } from 'zod';
import { defineQuery } from '../query.js';
import { text } from './common.js';

export const catalogImports = defineQuery({
  name: 'catalog_imports',
  params: z.object({}),
  row: z.object({ name: text, minor: text, info_version: text, snapshot: text }),
});
