import { readFileSync } from 'node:fs';
import { builtinChanges, type Change, userChanges } from '@radar/catalog';
import { storeConfigOf } from '@radar/config';
import { buildRules, webhookConfigurationYaml, webhookHelmValuesYaml } from '@radar/guard';
import { guardSettings, guardVersions, startGuard } from '@radar/guard-service';
import { createLogger } from '@radar/observability';
import { openMigratedStore, type Store } from '@radar/store';
import type { Command } from 'commander';
import { cliConfig, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { duration, mode } from './guard-args.js';
import { registerGuardSimulate } from './guard-simulate.js';

interface ServeArgs {
  from?: string;
  to?: string;
  mode?: string;
  policy?: string;
  tlsCert?: string;
  tlsKey?: string;
  host?: string;
  port?: string;
  learn?: string;
  refresh?: string;
  maxStaleness?: string;
  dataDir?: string;
}

export function registerGuard(program: Command): void {
  const guard = program
    .command('guard')
    .description(
      "admission webhook that stops old clients' full updates from resetting fields (docs/guard.md)",
    );

  guard
    .command('serve')
    .description(
      'run the ValidatingAdmissionWebhook over HTTPS until SIGTERM/SIGINT (POST /validate, /healthz, /metrics)',
    )
    .option(
      '--from <version>',
      'version the cluster ran before the upgrade (default GUARD_FROM_VERSION, UPGRADE_CURRENT_VERSION)',
    )
    .option('--to <version>', 'version it runs now (default GUARD_TO_VERSION, UPGRADE_TARGET_VERSION)')
    .option('--mode <mode>', 'audit | warn | deny, global (default: the policy file, else GUARD_MODE, audit)')
    .option('--policy <file>', 'modes per resource/namespace and allow-lists (default GUARD_POLICY_FILE)')
    .option('--tls-cert <file>', 'serving certificate, PEM (default GUARD_TLS_CERT_FILE)')
    .option('--tls-key <file>', 'its private key, PEM (default GUARD_TLS_KEY_FILE)')
    .option('--host <host>', 'listen address (default GUARD_HOST, 0.0.0.0)')
    .option('--port <port>', 'listen port, 0 picks a free one (default GUARD_PORT, 8443)')
    .option('--learn <duration>', 'audit events window the user/client table is learned from (default 14d)')
    .option('--refresh <duration>', 'how often the table is reloaded in the background (default 30s)')
    .option('--max-staleness <duration>', 'an older table is not trusted: allow everything (default 10m)')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: ServeArgs) => {
      const cfg = cliConfig();
      const port = a.port === undefined ? undefined : Number(a.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
        throw new UsageError(`--port ${a.port}: use 0..65535`);
      const settings = guardSettings(cfg, {
        from: a.from,
        to: a.to,
        mode: mode(a.mode),
        policy: a.policy,
        cert: a.tlsCert,
        key: a.tlsKey,
        host: a.host,
        port,
        learnMs: duration('--learn', a.learn),
        refreshMs: duration('--refresh', a.refresh),
        maxStalenessMs: duration('--max-staleness', a.maxStaleness),
      });
      buildRules([], settings.from, settings.to); // version mistakes before the store is opened
      const log = createLogger('radar-guard', cfg.LOG_LEVEL);
      // Opened lazily and again after a failure: the guard must start (and allow) with its store down.
      let opened: Promise<Store> | undefined;
      const store = () => {
        opened ??= openMigratedStore(storeConfigOf(cfg, a.dataDir)).catch((err) => {
          opened = undefined;
          throw err;
        });
        return opened;
      };
      let imported: Change[] = [];
      try {
        imported = await userChanges(await store());
      } catch (err) {
        log.warn({ err: String(err) }, 'guard: store unreachable at start; built-in catalog only');
      }
      const running = await startGuard(settings, { store, changes: [...builtinChanges(), ...imported], log });
      process.stderr.write(`radar guard: listening on https://${settings.host}:${running.port}/validate\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.stderr.write(`radar guard: ${signal}, shutting down\n`);
      await running.close();
      if (opened) await (await opened.catch(() => undefined))?.close();
    });

  guard
    .command('config')
    .description(
      'print the ValidatingWebhookConfiguration for the upgrade (rules for the resources with changed fields)',
    )
    .option(
      '--from <version>',
      'version before the upgrade (default GUARD_FROM_VERSION, UPGRADE_CURRENT_VERSION)',
    )
    .option('--to <version>', 'version after it (default GUARD_TO_VERSION, UPGRADE_TARGET_VERSION)')
    .option(
      '--format <format>',
      'yaml (the object to apply) or helm-values (the guard values block of deploy/helm/upgrade-radar)',
      'yaml',
    )
    .option('--name <name>', 'name of the ValidatingWebhookConfiguration', 'upgrade-radar-guard')
    .option('--namespace <ns>', 'namespace of the guard Service', 'upgrade-radar')
    .option('--service <name>', 'name of the guard Service', 'upgrade-radar-guard')
    .option('--service-port <port>', 'port of the guard Service', '443')
    .option('--url <url>', 'call this URL instead of a Service (a guard outside the cluster)')
    .option('--ca-file <file>', 'PEM of the CA that signed the serving certificate (caBundle)')
    .option(
      '--builtin-only',
      'use only the built-in catalog (do not open the store for imported CRD records)',
    )
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(
      async (a: {
        from?: string;
        to?: string;
        format: string;
        name: string;
        namespace: string;
        service: string;
        servicePort: string;
        url?: string;
        caFile?: string;
        builtinOnly?: boolean;
        dataDir?: string;
      }) => {
        if (a.format !== 'yaml' && a.format !== 'helm-values')
          throw new UsageError(`--format ${a.format}: use yaml or helm-values`);
        // The chart sets where to call the guard itself: such a flag would be silently lost.
        if (a.format === 'helm-values' && (a.url !== undefined || a.caFile !== undefined))
          throw new UsageError(
            `--${a.url !== undefined ? 'url' : 'ca-file'} does not apply to --format helm-values: the chart calls its own Service (guard.tls.caBundle for the CA)`,
          );
        const { from, to } = guardVersions(cliConfig(), a);
        const servicePort = Number(a.servicePort);
        if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535)
          throw new UsageError(`--service-port ${a.servicePort}: use 1..65535`);
        if (a.url !== undefined && !/^https:\/\/[^\s]+$/.test(a.url))
          throw new UsageError(`--url ${a.url}: the apiserver calls webhooks over https:// only`);
        let caPem: string | undefined;
        if (a.caFile) {
          try {
            caPem = readFileSync(a.caFile, 'utf8');
          } catch (err) {
            throw new UsageError(
              `--ca-file ${a.caFile}: cannot read it (${(err as NodeJS.ErrnoException).code})`,
            );
          }
        }
        buildRules([], from, to);
        const changes = a.builtinOnly
          ? builtinChanges()
          : await withStore(a, async (store) => [...builtinChanges(), ...(await userChanges(store))]);
        const rules = buildRules(changes, from, to);
        if (a.format === 'helm-values') {
          process.stdout.write(webhookHelmValuesYaml(rules));
          return;
        }
        process.stdout.write(
          webhookConfigurationYaml(rules, {
            name: a.name,
            service: { namespace: a.namespace, name: a.service, port: servicePort },
            ...(a.url ? { url: a.url } : {}),
            ...(caPem ? { caPem } : {}),
          }),
        );
      },
    );

  registerGuardSimulate(guard);
}
