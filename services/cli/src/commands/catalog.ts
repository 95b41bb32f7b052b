import { basename } from 'node:path';
import {
  builtinChanges,
  CatalogInputError,
  type Change,
  changesBetween,
  compareMinors,
  diffSpecs,
  importSpec,
  parseMinor,
  prepareImport,
  readSpecFile,
  renderMarkdown,
  renderResources,
  renderTable,
  summarizeByResource,
  tryParseMinor,
  userChanges,
} from '@radar/catalog';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { formatOption } from '../options.js';

type Format = 'json' | 'table' | 'md';

/** `radar catalog ...`: what changes between Kubernetes versions, and user catalogs for CRDs. */
export function registerCatalog(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('schema changes between Kubernetes versions (1.16-1.36), and imported CRD catalogs');

  catalog
    .command('show')
    .description('the changes an upgrade from --current to --target brings')
    .requiredOption('--current <version>', 'Kubernetes version now, e.g. 1.21, v1.21 or 1.21.4')
    .requiredOption('--target <version>', 'Kubernetes version to upgrade to')
    .addOption(formatOption(['json', 'table', 'md'], 'table'))
    .option('--imports', 'also the changes of CRD catalogs imported with `radar catalog import`')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (with --imports)')
    .action(
      async (o: { current: string; target: string; format: string; imports?: boolean; dataDir?: string }) => {
        const format = o.format as Format;
        const { current, target } = checkVersions(o.current, o.target);
        const changes = changesBetween(await catalogChanges(o), current, target);
        if (format === 'json') printJson({ current, target, changes });
        else process.stdout.write(format === 'md' ? renderMarkdown(changes) : renderTable(changes));
      },
    );

  catalog
    .command('resources')
    .description('one line per affected resource with counts by change type')
    .requiredOption('--current <version>', 'Kubernetes version now')
    .requiredOption('--target <version>', 'Kubernetes version to upgrade to')
    .addOption(formatOption(['json', 'table'], 'table'))
    .option('--imports', 'also the changes of imported CRD catalogs')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (with --imports)')
    .action(
      async (o: { current: string; target: string; format: string; imports?: boolean; dataDir?: string }) => {
        const format = o.format as Format;
        const { current, target } = checkVersions(o.current, o.target);
        const resources = summarizeByResource(changesBetween(await catalogChanges(o), current, target));
        if (format === 'json') printJson({ current, target, resources });
        else process.stdout.write(renderResources(resources));
      },
    );

  catalog
    .command('diff')
    .description(
      'the changes between two OpenAPI v2 documents (swagger.json or a cluster /openapi/v2, gzip or not)',
    )
    .requiredOption('--from-spec <file>', 'the older document')
    .requiredOption('--to-spec <file>', 'the newer document')
    .option(
      '--from-version <version>',
      'Kubernetes version of --from-spec (default: its info.version or file name)',
    )
    .option('--to-version <version>', 'Kubernetes version of --to-spec: the minor the changes take effect in')
    .addOption(formatOption(['json', 'table', 'md'], 'table'))
    .action(
      async (o: {
        fromSpec: string;
        toSpec: string;
        fromVersion?: string;
        toVersion?: string;
        format: string;
      }) => {
        const format = o.format as Format;
        const [a, b] = await usageAsync(() =>
          Promise.all([readSpecFile(o.fromSpec), readSpecFile(o.toSpec)]),
        );
        const current = specMinor(o.fromSpec, a.info?.version, o.fromVersion, '--from-version');
        const target = specMinor(o.toSpec, b.info?.version, o.toVersion, '--to-version');
        if (!target)
          throw new UsageError(`${o.toSpec}: cannot tell its Kubernetes version; pass --to-version`);
        if (current && compareMinors(current, target) > 0) {
          throw new UsageError(`--to-spec is ${target}, older than --from-spec (${current})`);
        }
        const source = `openapi diff ${current ? `v${current}` : basename(o.fromSpec)}->v${target}`;
        const changes = usage(() => diffSpecs(a, b, { since: target, source }));
        if (format === 'json') printJson({ current: current ?? null, target, changes });
        else process.stdout.write(format === 'md' ? renderMarkdown(changes) : renderTable(changes));
      },
    );

  catalog
    .command('import')
    .description('store a spec (an operator release, a cluster /openapi/v2) in the user catalog <name>')
    .requiredOption('--spec <file>', 'OpenAPI v2 document, gzip or not')
    .requiredOption('--name <label>', 'catalog name; consecutive imports of one name are diffed')
    .option(
      '--k8s-version <version>',
      'Kubernetes minor at which this spec is live (default: its info.version)',
    )
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (o: { spec: string; name: string; k8sVersion?: string; dataDir?: string }) => {
      const doc = await usageAsync(() => readSpecFile(o.spec));
      const opts = { where: o.spec, ...(o.k8sVersion !== undefined ? { version: o.k8sVersion } : {}) };
      // Everything that can be wrong with the input is checked before the store is opened.
      usage(() => prepareImport(o.name, doc, opts));
      const res = await withStore({ dataDir: o.dataDir }, (store) => importSpec(store, o.name, doc, opts));
      printJson(res);
    });
}

function checkVersions(current: string, target: string): { current: string; target: string } {
  const c = usage(() => parseMinor(current), '--current');
  const t = usage(() => parseMinor(target), '--target');
  usage(() => changesBetween([], c, t));
  return { current: c, target: t };
}

async function catalogChanges(o: { imports?: boolean; dataDir?: string }): Promise<Change[]> {
  if (!o.imports) return builtinChanges();
  return withStore({ dataDir: o.dataDir }, async (store) => [
    ...builtinChanges(),
    ...(await userChanges(store)),
  ]);
}

/**
 * The minor of a spec file: the flag, else info.version (a live cluster's), else a `v1.NN` in the
 * file name (the reference specs say 'unversioned'); undefined when none tells.
 */
function specMinor(
  file: string,
  infoVersion: string | undefined,
  flag: string | undefined,
  flagName: string,
) {
  if (flag !== undefined) return usage(() => parseMinor(flag), flagName);
  const fromName = /(?:^|[^0-9.])v?(1\.\d{1,2})(?:\.json|[^0-9]|$)/.exec(basename(file))?.[1];
  return tryParseMinor(infoVersion) ?? (fromName ? tryParseMinor(fromName) : undefined);
}

/** A CatalogInputError is the user's mistake: it becomes a UsageError (exit code 2). */
function asUsage(err: unknown, what?: string): unknown {
  if (err instanceof CatalogInputError) return new UsageError(what ? `${what}: ${err.message}` : err.message);
  return err;
}

function usage<T>(fn: () => T, what?: string): T {
  try {
    return fn();
  } catch (err) {
    throw asUsage(err, what);
  }
}

async function usageAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asUsage(err);
  }
}
