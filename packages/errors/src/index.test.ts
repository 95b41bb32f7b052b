import { describe, expect, it } from 'vitest';
import {
  ENGINE_DATA_ERROR_CODES,
  errorKind,
  exitCodeFor,
  InputError,
  isEngineDataErrorCode,
} from './index.js';

class FlagError extends InputError {
  override readonly name = 'FlagError';
}

describe('error taxonomy', () => {
  it('classifies InputError and its subclasses as input, with where they point', () => {
    const e = new FlagError('--port x: not a port number', { where: '--port' });
    expect(errorKind(e)).toBe('input');
    expect(e.where).toBe('--port');
    expect(e).toBeInstanceOf(Error);
    expect(exitCodeFor(errorKind(e))).toBe(2);
  });

  it('never classifies by name or message: a look-alike plain Error is infrastructure', () => {
    const fake = Object.assign(new Error('Cannot parse input'), { name: 'InputError' });
    expect(errorKind(fake)).toBe('infrastructure');
    expect(errorKind('a string')).toBe('infrastructure');
    expect(errorKind(undefined)).toBe('infrastructure');
    expect(exitCodeFor(errorKind(fake))).toBe(1);
  });

  it('classifies engine errors by the code the extractor reads', () => {
    const codeOf = (e: unknown) => (e as { n?: number }).n;
    expect(errorKind({ n: 41 }, codeOf)).toBe('input'); // CANNOT_PARSE_DATETIME
    expect(errorKind({ n: 469 }, codeOf)).toBe('input'); // VIOLATED_CONSTRAINT
    expect(errorKind({ n: 252 }, codeOf)).toBe('infrastructure'); // TOO_MANY_PARTS
    expect(errorKind({ n: 241 }, codeOf)).toBe('infrastructure'); // MEMORY_LIMIT_EXCEEDED
    expect(errorKind({}, codeOf)).toBe('infrastructure');
    // Without an extractor, engine codes are not looked at.
    expect(errorKind({ n: 41 })).toBe('infrastructure');
  });

  it('leaves transport-ambiguous, overload and timeout codes out of the data set', () => {
    for (const code of [32, 33, 159, 209, 210, 241, 252]) expect(isEngineDataErrorCode(code)).toBe(false);
    expect(isEngineDataErrorCode(undefined)).toBe(false);
    expect(ENGINE_DATA_ERROR_CODES.get(25)).toBe('CANNOT_PARSE_ESCAPE_SEQUENCE');
  });
});
