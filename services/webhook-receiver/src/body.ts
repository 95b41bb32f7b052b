import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** An error fastify answers with its statusCode and message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type BodyEncoding = 'identity' | 'gzip';

/** The Content-Encoding header as one supported coding; anything else is answered 415 unread. */
export function bodyEncoding(header: string | string[] | undefined): BodyEncoding | HttpError {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return new HttpError(
    415,
    `Content-Encoding ${JSON.stringify(value.slice(0, 100))} is not supported: send identity or gzip`,
  );
}

/**
 * The body as the sink reads it. A gzip body is inflated off the event loop (zlib's thread pool)
 * with its output capped at maxDecodedBytes, so a small bomb costs at most the cap: over it 413,
 * corrupt or truncated gzip 400.
 */
export async function decodeBody(
  encoding: BodyEncoding,
  body: Buffer,
  maxDecodedBytes: number,
): Promise<Buffer> {
  if (encoding === 'identity') return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: maxDecodedBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
      throw new HttpError(413, `gzip body inflates to more than ${maxDecodedBytes} bytes`);
    throw new HttpError(400, `gzip body is corrupt: ${err.message.slice(0, 200)}`);
  }
}
