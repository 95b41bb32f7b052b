import { Tokenizer, TokenType } from '@streamparser/json';
import { StringElider } from './elide.js';
import { CLOSE, Grammar, isSpace, OPEN, SCALAR } from './grammar.js';

/** One value found in a JSON stream: a member of an EventList or array, or a top-level value. */
export interface SplitItem {
  /** Byte offsets [start, end) in the stream. */
  start: number;
  end: number;
  /** 1-based line of `start` in the stream. */
  line: number;
  /** The item's bytes, exactly as written; absent when it was over the item limit (skipped unread). */
  data?: Buffer;
  /** `items[3]` for an EventList member, `[3]` for an array element, `` for a top-level value. */
  path: string;
  /** What the item is expected to be: an Event (list-item), an Event or wrapper (array-item, top). */
  kind: 'list-item' | 'array-item' | 'top';
}

export interface SplitError {
  offset: number;
  message: string;
  /** Set when `onlyLists` stopped at a value that is not a list. */
  notList?: boolean;
  /** Start of the item being read when the stream broke, if any. */
  itemStart?: number;
  path?: string;
}

interface Capture {
  start: number;
  line: number;
  parts: Buffer[];
  /** Absolute offset up to which the item's bytes were looked at. */
  keptTo: number;
  tooLarge: boolean;
  path: string;
  kind: SplitItem['kind'];
  /** Depth at which the item's own value sits; it ends when a token brings us back there. */
  depth: number;
  primitive: boolean;
}

type Top = 'none' | 'array' | 'candidate' | 'plain' | 'list';

/**
 * Splits a stream of JSON values (one document, or several one after another as `jq .` writes
 * them) into items without parsing them: EventList `items` and array elements one by one, any
 * other value whole. The tokenizer (@streamparser/json) finds the structure and byte offsets;
 * each item's bytes are kept up to `maxItemBytes`, so memory stays bounded by one item whatever
 * the document's size, and an item over the limit is reported without its bytes. The tokenizer
 * sees a copy (StringElider): bytes >= 0x80 and control characters masked (the structure is
 * ASCII), so an item with invalid UTF-8 or a raw control character is left to its own decode and
 * its siblings are unaffected; and long strings cut, so one huge string is never gathered whole.
 */
export class ItemSplitter {
  error: SplitError | undefined;
  private readonly tokenizer = new Tokenizer();
  private readonly elider = new StringElider();
  private depth = 0;
  private top: Top = 'none';
  private readonly grammar = new Grammar();
  private lastKey: string | undefined;
  private index = 0;
  private cap: Capture | undefined;
  private chunk: Buffer = Buffer.alloc(0);
  private base = 0;
  private lineNo = 1;
  private linePos = 0;

  /** Whether the stream held an EventList or array (its items were split out). */
  sawList = false;
  /** Where the first top-level value ended, once it has. */
  firstEnd: number | undefined;

  /** With `onlyLists`, a stream whose first value is not a list stops at once (`error.notList`). */
  constructor(
    private readonly maxItemBytes: number,
    private readonly onItem: (item: SplitItem) => void,
    private readonly onlyLists = false,
  ) {
    this.tokenizer.onToken = ({ token, value, offset }) => {
      if (!this.error) this.token(token, value, this.elider.real(offset));
      // Thrown out of the tokenizer's loop (it reports it to onError): stops work at once.
      if (this.error) throw STOP;
    };
    this.tokenizer.onError = (e) => this.fail(this.base + this.chunk.length, e.message);
    this.tokenizer.onEnd = () => undefined;
  }

  /** The 1-based line reached so far (counted up to the last item start or chunk end). */
  get line(): number {
    return this.lineNo;
  }

  /** Bytes written so far. */
  get consumed(): number {
    return this.base + this.chunk.length;
  }

  write(chunk: Buffer): void {
    if (this.error) return;
    this.base += this.chunk.length;
    this.chunk = chunk;
    this.linePos = 0;
    this.tokenizer.write(this.elider.feed(chunk));
    if (this.error) return;
    // An EventList names its items near the start: a long object that has not is not one, and
    // reading on would let the tokenizer gather a huge string.
    if (this.top === 'candidate' && this.consumed > LIST_HEAD_BYTES) this.notAList('plain');
    if (this.error) return;
    // A primitive at the very end may still grow (a number split across chunks): keep it whole.
    this.keep(chunk.length);
    this.countLines(chunk.length);
  }

  end(): void {
    if (this.error) return;
    this.tokenizer.end(); // emits a number still waiting for its terminator
    if (this.error) return;
    if (this.cap?.primitive && this.depth === this.cap.depth) this.finish(this.consumed);
    if (this.depth > 0 || this.cap) this.fail(this.consumed, 'unexpected end of input inside a JSON value');
  }

  private token(token: number, value: unknown, offset: number): void {
    const problem = this.grammar.accept(token);
    if (problem) {
      this.fail(offset, `${problem} at byte ${offset}`);
      return;
    }
    if (this.cap?.primitive) this.finish(offset);
    if (OPEN.has(token)) this.open(token, offset);
    else if (CLOSE.has(token)) this.close(offset);
    else if (SCALAR.has(token)) this.scalar(value, offset);
  }

  private open(token: number, offset: number): void {
    if (this.depth === 0) {
      this.index = 0;
      this.lastKey = undefined;
      if (token === TokenType.LEFT_BRACKET) {
        this.top = 'array';
        this.sawList = true;
      } else {
        this.top = 'candidate';
        this.begin(offset, '', 'top', 0, false);
      }
    } else if (this.depth === 1 && this.top === 'candidate' && this.lastKey === 'items') {
      if (token === TokenType.LEFT_BRACKET) {
        // An EventList after all: its items are the events, the rest of the wrapper is dropped.
        this.top = 'list';
        this.sawList = true;
        this.cap = undefined;
      }
    } else this.elementStart(offset);
    this.depth++;
  }

  private close(offset: number): void {
    this.depth--;
    if (this.cap && this.depth === this.cap.depth) this.finish(offset + 1);
    if (this.depth === 0) {
      this.top = 'none';
      this.firstEnd ??= offset + 1;
    }
  }

  private scalar(value: unknown, offset: number): void {
    if (this.grammar.wasKey) {
      if (this.depth === 1) this.lastKey = value as string;
      return;
    }
    if (this.depth === 1 && this.top === 'candidate') {
      // An Event, not a list: it is read whole.
      if (this.lastKey === 'auditID' || (this.lastKey === 'kind' && value !== 'EventList'))
        this.notAList('plain');
      return;
    }
    if (this.depth === 0) {
      this.begin(offset, '', 'top', 0, true);
      this.notAList('none');
    } else this.elementStart(offset, true);
  }

  private elementStart(offset: number, primitive = false): void {
    const listDepth = this.top === 'array' ? 1 : this.top === 'list' ? 2 : -1;
    if (this.depth !== listDepth || this.cap) return;
    const path = this.top === 'array' ? `[${this.index}]` : `items[${this.index}]`;
    this.begin(offset, path, this.top === 'array' ? 'array-item' : 'list-item', listDepth, primitive);
    this.index++;
  }

  private begin(start: number, path: string, kind: SplitItem['kind'], depth: number, primitive: boolean) {
    this.countLines(start - this.base);
    this.cap = {
      start,
      line: this.lineNo,
      parts: [],
      keptTo: start,
      tooLarge: false,
      path,
      kind,
      depth,
      primitive,
    };
  }

  /** Keeps the current item's bytes of this chunk up to `upto` (chunk-relative). */
  private keep(upto: number): void {
    const cap = this.cap;
    if (!cap) return;
    const from = Math.max(cap.keptTo, this.base);
    const to = this.base + upto;
    if (to <= from) return;
    cap.keptTo = to;
    if (cap.tooLarge) return;
    if (to - cap.start > this.maxItemBytes) {
      cap.tooLarge = true;
      cap.parts = [];
    } else cap.parts.push(this.chunk.subarray(from - this.base, upto));
  }

  private finish(end: number): void {
    const cap = this.cap!;
    let stop = end;
    if (cap.primitive)
      while (stop - 1 >= this.base && stop > cap.start && isSpace(this.byteAt(stop - 1))) stop--;
    this.keep(stop - this.base);
    this.cap = undefined;
    if (cap.depth === 0) this.firstEnd ??= stop;
    const item: SplitItem = { start: cap.start, end: stop, line: cap.line, path: cap.path, kind: cap.kind };
    if (!cap.tooLarge) item.data = cap.parts.length === 1 ? cap.parts[0]! : Buffer.concat(cap.parts);
    this.onItem(item);
  }

  private byteAt(offset: number): number {
    return this.chunk[offset - this.base] ?? 0x20;
  }

  private countLines(upto: number): void {
    if (upto <= this.linePos) return;
    // Only the bytes not counted yet: searching the whole chunk per item would be quadratic.
    const view = this.chunk.subarray(this.linePos, upto);
    for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) this.lineNo++;
    this.linePos = upto;
  }

  private notAList(top: Top): void {
    this.top = top;
    if (this.onlyLists && !this.sawList) {
      this.fail(this.consumed, 'not an EventList or array');
      this.error!.notList = true;
    }
  }

  private fail(offset: number, message: string): void {
    if (this.error) return;
    this.error = { offset, message };
    if (this.cap) {
      this.error.itemStart = this.cap.start;
      this.error.path = this.cap.path;
    }
    this.cap = undefined;
  }
}

const STOP = new Error('stopped');

const LIST_HEAD_BYTES = 64 * 1024;
