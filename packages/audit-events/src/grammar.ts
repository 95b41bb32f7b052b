import { TokenType } from '@streamparser/json';

export const OPEN = new Set<number>([TokenType.LEFT_BRACE, TokenType.LEFT_BRACKET]);
export const CLOSE = new Set<number>([TokenType.RIGHT_BRACE, TokenType.RIGHT_BRACKET]);
export const SCALAR = new Set<number>([
  TokenType.STRING,
  TokenType.NUMBER,
  TokenType.TRUE,
  TokenType.FALSE,
  TokenType.NULL,
]);

export const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;

type Expect = 'value' | 'key' | 'colon' | 'after';

const NAMES: Record<number, string> = {
  [TokenType.LEFT_BRACE]: '"{"',
  [TokenType.RIGHT_BRACE]: '"}"',
  [TokenType.LEFT_BRACKET]: '"["',
  [TokenType.RIGHT_BRACKET]: '"]"',
  [TokenType.COLON]: '":"',
  [TokenType.COMMA]: '","',
  [TokenType.STRING]: 'a string',
};

/**
 * The JSON grammar over the tokenizer's tokens (which checks only the tokens themselves): a
 * stream of values, each object a list of key: value pairs. A first line cut short by log
 * rotation fails here within a few tokens, so it is never taken for the start of a document.
 */
export class Grammar {
  private readonly stack: ('o' | 'a')[] = [];
  private expect: Expect = 'value';
  private justOpened = false;
  /** Whether the last STRING token was an object key. */
  wasKey = false;

  /** Accepts one token, or says why it does not fit. */
  accept(token: number): string | undefined {
    const inObject = this.stack.at(-1) === 'o';
    const opened = this.justOpened;
    this.justOpened = false;
    this.wasKey = false;
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        if (this.expect !== 'value') return this.unexpected(token);
        this.stack.push(token === TokenType.LEFT_BRACE ? 'o' : 'a');
        this.expect = token === TokenType.LEFT_BRACE ? 'key' : 'value';
        this.justOpened = true;
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET: {
        const want = token === TokenType.RIGHT_BRACE ? 'o' : 'a';
        const emptyOk = opened && this.expect === (want === 'o' ? 'key' : 'value');
        if (this.stack.at(-1) !== want || (this.expect !== 'after' && !emptyOk))
          return this.unexpected(token);
        this.stack.pop();
        this.expect = this.stack.length === 0 ? 'value' : 'after';
        return;
      }
      case TokenType.COLON:
        if (this.expect !== 'colon') return this.unexpected(token);
        this.expect = 'value';
        return;
      case TokenType.COMMA:
        if (this.expect !== 'after') return this.unexpected(token);
        this.expect = inObject ? 'key' : 'value';
        return;
      case TokenType.STRING:
        if (this.expect === 'key') {
          this.wasKey = true;
          this.expect = 'colon';
          return;
        }
        return this.scalar(token);
      default:
        return this.scalar(token);
    }
  }

  private scalar(token: number): string | undefined {
    if (this.expect !== 'value') return this.unexpected(token);
    this.expect = this.stack.length === 0 ? 'value' : 'after';
    return;
  }

  private unexpected(token: number): string {
    return `unexpected ${NAMES[token] ?? 'value'} (expected ${this.expect === 'after' ? '"," or a closing bracket' : `a ${this.expect}`})`;
  }
}
