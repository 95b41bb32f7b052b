import { ClickHouseError } from '@clickhouse/client';
import { type ErrorKind, errorKind, isEngineDataErrorCode } from '@radar/errors';

/**
 * The engine's numeric exception code of an error from the store, whichever way it came: a
 * server's ClickHouseError (`code` is the number as a string) or the embedded engine's
 * ChdbError (`clickhouseCode`), also when wrapped as the `cause` of another error (chDB's
 * client connection rethrows its ChdbError inside a ClickHouseError of its own copy of
 * @clickhouse/client-common, which is not this package's class). Undefined for anything else
 * (a socket error, a timeout in the client): those are infrastructure failures. Errors are
 * told apart by code, never by name.
 */
export function engineErrorCode(err: unknown): number | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    if (e instanceof ClickHouseError) {
      const n = Number(e.code);
      return Number.isInteger(n) ? n : undefined;
    }
    if ('clickhouseCode' in e) {
      const n = (e as { clickhouseCode: unknown }).clickhouseCode;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True when the engine refused the inserted VALUES (a parse, conversion, range or constraint
 * error: the same rows fail the same way on every retry), so the batch must be split and the
 * refused rows dead-lettered. False for connection errors, overload (TOO_MANY_PARTS,
 * MEMORY_LIMIT_EXCEEDED), timeouts and anything without an engine code: those are retried.
 */
export function isDataError(err: unknown): boolean {
  return isEngineDataErrorCode(engineErrorCode(err));
}

/** The taxonomy of @radar/errors with the store's engine codes: 'input' or 'infrastructure'. */
export function storeErrorKind(err: unknown): ErrorKind {
  return errorKind(err, engineErrorCode);
}
