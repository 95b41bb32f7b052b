import { ClickHouseError } from '@clickhouse/client';

/**
 * The engine's numeric exception code of an error from the store, whichever way it came: a
 * server's ClickHouseError (`code` is the number as a string) or the embedded engine's
 * ChdbError (`clickhouseCode`). Undefined for anything else (a socket error, a timeout in the
 * client): those are infrastructure failures. Errors are told apart by code, never by name.
 */
export function engineErrorCode(err: unknown): number | undefined {
  if (err instanceof ClickHouseError) {
    const n = Number(err.code);
    return Number.isInteger(n) ? n : undefined;
  }
  if (typeof err === 'object' && err !== null && 'clickhouseCode' in err) {
    const n = (err as { clickhouseCode: unknown }).clickhouseCode;
    return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
  }
  return undefined;
}
