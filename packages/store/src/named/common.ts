import { z } from 'zod';

/** Parameter and row pieces shared by the named queries. */
export const time = z.date();
/** One cluster, or '' (also null/undefined) for every cluster. */
export const clusterParam = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
export const strings = z.array(z.string()).readonly();
/** A count or a number column: BASE_SETTINGS unquotes 64-bit integers, so they arrive as numbers. */
export const count = z.number();
export const text = z.string();
export const texts = z.array(z.string());
/** DateTime64 columns come as ISO text (date_time_output_format iso). */
export const isoTime = z.string();

/** Who called what: the leading key columns of the rows that rank and alerts group. */
export const clientResource = {
  client_name: text,
  client_version: text,
  client_kube_minor: count,
  username: text,
  api_group: text,
  api_version: text,
  resource: text,
};
