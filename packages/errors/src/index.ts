/**
 * One error taxonomy for every entry point. An error is either about the INPUT (the event, the
 * file, the request, the arguments: the same input fails the same way however often it is
 * retried) or about the INFRASTRUCTURE (the store, the broker, the disk, a bug: retrying later
 * may succeed). Each entry point maps the two kinds the same way:
 *
 * | kind           | `radar` CLI              | webhook | ingest worker                     |
 * |----------------|--------------------------|---------|-----------------------------------|
 * | input          | one line, exit code 2    | 4xx     | dead letter (`<topic>.dlq`), commit |
 * | infrastructure | the message, exit code 1 | 5xx     | retry with backoff, no commit     |
 *
 * Errors are told apart by class (InputError and its subclasses) and by the engine's numeric
 * code, never by their name or message text. Dependency-free, so every package can use it.
 */

export type ErrorKind = 'input' | 'infrastructure';

/** The input or the request is wrong: retrying the same input fails the same way. */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  /** Where in the input, when known: `audit.log:12`, `items[3]`, `--port`, a byte range. */
  readonly where: string | undefined;

  constructor(message: string, opts: { where?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.where = opts.where;
  }
}

/**
 * ClickHouse exception codes (src/Common/ErrorCodes.cpp; names checked against the embedded
 * engine's errorCodeToName) raised when the engine refuses the INSERTED VALUES themselves:
 * parsing, conversion, range and constraint checks. Left out on purpose: codes a broken
 * transport also raises (ATTEMPT_TO_READ_AFTER_EOF 32, CANNOT_READ_ALL_DATA 33, socket errors),
 * overload (TOO_MANY_PARTS 252, MEMORY_LIMIT_EXCEEDED 241), timeouts (159, 209): retried.
 */
export const ENGINE_DATA_ERROR_CODES: ReadonlyMap<number, string> = new Map([
  [6, 'CANNOT_PARSE_TEXT'],
  [7, 'INCORRECT_NUMBER_OF_COLUMNS'],
  [25, 'CANNOT_PARSE_ESCAPE_SEQUENCE'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [69, 'ARGUMENT_OUT_OF_BOUND'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [128, 'TOO_LARGE_ARRAY_SIZE'],
  [130, 'CANNOT_READ_ARRAY_FROM_TEXT'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [346, 'CANNOT_CONVERT_CHARSET'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [376, 'CANNOT_PARSE_UUID'],
  [407, 'DECIMAL_OVERFLOW'],
  [441, 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING'],
  [467, 'CANNOT_PARSE_BOOL'],
  [469, 'VIOLATED_CONSTRAINT'],
  [563, 'CANNOT_READ_MAP_FROM_TEXT'],
  [632, 'UNEXPECTED_DATA_AFTER_PARSED_VALUE'],
  [675, 'CANNOT_PARSE_IPV4'],
  [676, 'CANNOT_PARSE_IPV6'],
  [691, 'UNKNOWN_ELEMENT_OF_ENUM'],
]);

/** True when an engine exception code means "these values are refused" (see ENGINE_DATA_ERROR_CODES). */
export function isEngineDataErrorCode(code: number | undefined): boolean {
  return code !== undefined && ENGINE_DATA_ERROR_CODES.has(code);
}

/**
 * The kind of any thrown value. `engineCode` reads the engine's numeric code of a store error
 * (`engineErrorCode` from @radar/store); without it only InputError counts as input. Anything
 * unknown is infrastructure: retrying something that cannot succeed costs time, dead-lettering
 * something that could have been stored loses it.
 */
export function errorKind(err: unknown, engineCode?: (err: unknown) => number | undefined): ErrorKind {
  if (err instanceof InputError) return 'input';
  if (engineCode && isEngineDataErrorCode(engineCode(err))) return 'input';
  return 'infrastructure';
}

/** The `radar` command's exit code for an error of this kind (0 is success, 1 and 2 errors). */
export function exitCodeFor(kind: ErrorKind): 1 | 2 {
  return kind === 'input' ? 2 : 1;
}
