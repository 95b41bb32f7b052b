/**
 * The statement rules of the query sandbox, applied to the engine's own parse tree: the rows of
 * `EXPLAIN AST <statement>`, one node per row, indented one space per level.
 *
 * Literals are printed escaped, but aliases and identifiers are printed raw, so a newline in a
 * backquoted alias adds rows of the user's choosing. Such rows can only add nodes, never remove
 * or re-indent the real ones; so every rule here either refuses on a node's own row (a function
 * name, a statement kind) or on the depth of a real row (INTO OUTFILE, SETTINGS), never on a
 * parent found by scanning back, which a forged row could stand in for.
 */

/** Why a statement is refused; stable names for messages, logs and an HTTP endpoint's errors. */
export type RefusalReason =
  | 'too-long'
  | 'syntax'
  | 'statement-kind'
  | 'into-outfile'
  | 'settings'
  | 'table-function'
  | 'function'
  | 'engine';

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

/** Table functions that only compute or read this store's own tables. */
export const ALLOWED_TABLE_FUNCTIONS: readonly string[] = [
  'numbers',
  'numbers_mt',
  'zeros',
  'zeros_mt',
  'values',
  'generateSeries',
  'generate_series',
  'null',
  'primes',
  'generateRandom',
  'format',
  'view',
  'viewIfPermitted',
  'viewExplain',
  'merge',
  'loop',
];
const ALLOWED = new Set(ALLOWED_TABLE_FUNCTIONS.map((n) => n.toLowerCase()));

/**
 * Table functions that reach files, processes or the network, refused wherever they appear, also
 * in scalar position (ClickHouse has a scalar `file()`). The engine's own `system.table_functions`
 * is added at run time, so functions of a newer engine are refused too.
 */
export const KNOWN_TABLE_FUNCTIONS: readonly string[] = [
  'file',
  'filecluster',
  'filesystem',
  'url',
  'urlcluster',
  's3',
  's3cluster',
  'gcs',
  'cosn',
  'oss',
  'hdfs',
  'hdfscluster',
  'mysql',
  'postgresql',
  'remote',
  'remotesecure',
  'cluster',
  'clusterallreplicas',
  'executable',
  'input',
  'jdbc',
  'odbc',
  'sqlite',
  'mongodb',
  'redis',
  'azureblobstorage',
  'azureblobstoragecluster',
  'deltalake',
  'hudi',
  'iceberg',
  'paimon',
  'fuzzjson',
  'fuzzquery',
  'dictionary',
  'arrowstream',
  'ytsaurus',
  'prometheusquery',
];

/** Scalar functions that read files or call out: model files, LLM providers (aiGenerate, ...). */
const DENIED_SCALARS = new Set(['file', 'catboostevaluate', 'modelevaluate']);
const DENIED_SCALAR_PREFIXES = ['ai'];

/** Statements that only read: the parse tree's root node types. */
const READ_KINDS =
  /^(SelectWithUnionQuery|SelectIntersectExceptQuery|Show\w+|SHOW|Describe\w*|Exists\w*|Explain)$/;
const PLAIN_NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?: \(alias [\s\S]*\))?(?: \(children \d+\))?$/;

interface Node {
  type: string;
  rest: string;
  depth: number;
  parent: Node | undefined;
}

function parseRows(rows: readonly string[]): Node[] {
  const nodes: Node[] = [];
  const stack: Node[] = [];
  for (const row of rows) {
    const depth = row.length - row.trimStart().length;
    const text = row.trimStart();
    const space = text.indexOf(' ');
    const type = space < 0 ? text : text.slice(0, space);
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const node: Node = { type, rest: space < 0 ? '' : text.slice(space + 1), depth, parent: stack.at(-1) };
    nodes.push(node);
    stack.push(node);
  }
  return nodes;
}

const refuse = (reason: RefusalReason, message: string): Refusal => ({ reason, message });

/** What the engine knows, for the function rules. */
export interface EngineCatalog {
  /** Lower-case names of every table function the engine has (allowed ones included). */
  tableFunctions: ReadonlySet<string>;
  /**
   * Views of the store's own database, exact names: a parameterised view is called like a
   * table function (`rank_candidate_rows(from = ...)`), and only migrations create views.
   */
  views: ReadonlySet<string>;
}

function functionRefusal(node: Node, catalog: EngineCatalog): Refusal | undefined {
  const m = PLAIN_NAME.exec(node.rest);
  if (!m) return refuse('function', 'function names must be plain identifiers');
  const name = m[1]!;
  const lower = name.toLowerCase();
  const tableFunctions = catalog.tableFunctions;
  const allowed = ALLOWED.has(lower) || (catalog.views.has(name) && !tableFunctions.has(lower));
  // Position is a second net only: a forged row may stand in as the parent; the engine's own
  // list of table functions below catches those wherever they are.
  if (node.parent?.type === 'TableExpression' && !allowed) {
    return refuse(
      'table-function',
      `table function ${name}() is not allowed (it may reach files, processes or the network); ` +
        `allowed: ${ALLOWED_TABLE_FUNCTIONS.join(', ')}`,
    );
  }
  if (!allowed && tableFunctions.has(lower)) {
    return refuse('table-function', `${name}() reads files or the network and is not allowed`);
  }
  if (DENIED_SCALARS.has(lower) || DENIED_SCALAR_PREFIXES.some((p) => lower.startsWith(p))) {
    return refuse('function', `${name}() reads files or calls out and is not allowed`);
  }
  return undefined;
}

/** The first rule a parse tree breaks, or undefined when the statement may run. */
export function checkParseTree(rows: readonly string[], catalog: EngineCatalog): Refusal | undefined {
  const nodes = parseRows(rows);
  const root = nodes[0];
  if (!root || !READ_KINDS.test(root.type)) {
    return refuse(
      'statement-kind',
      `only read-only statements are allowed: SELECT, WITH, SHOW, DESCRIBE, EXISTS, EXPLAIN (got ${root?.type ?? 'nothing'})`,
    );
  }
  const explain = root.type === 'Explain';
  for (const node of nodes.slice(1)) {
    // EXPLAIN's children are its options (Set), its statement, its output clauses.
    if (explain && node.depth === 1 && !['Set', 'Literal', 'Identifier'].includes(node.type)) {
      if (!READ_KINDS.test(node.type) || node.type === 'Explain') {
        return refuse(
          'statement-kind',
          `EXPLAIN of ${node.type} is not allowed: explain one read-only statement`,
        );
      }
    }
    // Statements have no literal children but their INTO OUTFILE path (and COMPRESSION): a
    // literal at depth 1, or at depth 2 under EXPLAIN (its statement's), is one.
    if (node.type === 'Literal' && (node.depth === 1 || (explain && node.depth === 2))) {
      return refuse('into-outfile', 'INTO OUTFILE is not allowed: the result goes to standard output');
    }
    // EXPLAIN's own options (header = 1, actions = 1) are a Set at depth 1; those are not settings.
    if (node.type === 'Set' && !(explain && node.depth === 1)) {
      return refuse(
        'settings',
        'SETTINGS are not allowed: limits come from --timeout, --max-rows, --max-bytes',
      );
    }
    if (node.type === 'Function') {
      const r = functionRefusal(node, catalog);
      if (r) return r;
    }
  }
  return undefined;
}
