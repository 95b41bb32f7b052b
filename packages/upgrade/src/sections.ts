import type { UpgradePlan } from './plan.js';
import type { RollbackCheck } from './rollback.js';

/** A report section (structurally @radar/ranking's ReportSection): title, a line, a table. */
export interface Section {
  title: string;
  text: string;
  columns: string[];
  rows: (string | number)[][];
}

/** "Apiserver roll plan": the quietest windows, then whose writes to hold in the best one. */
export function planSection(p: UpgradePlan, current: string, target: string): Section {
  const best = p.windows[0];
  return {
    title: `Apiserver roll plan ${current} → ${target}`,
    text: best
      ? `Quietest ${p.rollHours}h windows over the last ${p.weeks} weeks of writes on the ${
          p.windows.length
        } resources changed in (${current}, ${target}]: ${p.windows
          .map((w) => `${w.label} (${w.expectedWritesPerHour}/h)`)
          .join(', ')}. Hold these writes during ${best.label}:`
      : 'No window.',
    columns: ['Resource', 'Namespace', 'Expected writes per hour'],
    rows: p.hold.map((h) => [h.api, h.namespace || '(cluster)', h.expectedWritesPerHour]),
  };
}

/** "Rollback readiness": every blocking finding, one row each. */
export function rollbackSection(r: RollbackCheck): Section {
  const rows: (string | number)[][] = [
    ...r.newGroupVersions.map((f) => [
      'new group/version',
      f.api,
      f.namespace,
      f.objects,
      f.names.slice(0, 5).join(', '),
    ]),
    ...r.storageVersionMoved.map((f) => [
      'storage version moved',
      f.api,
      f.namespace,
      f.objects,
      f.names.slice(0, 5).join(', '),
    ]),
    ...r.addedFieldsSet.map((f) => ['added field set', f.api, f.path, f.writes, f.client]),
  ];
  return {
    title: `Rollback readiness ${r.to} → ${r.from}`,
    text: `${r.ready ? 'Ready' : 'Not ready'}: writes since the upgrade at ${r.since}${
      r.notMigrated.length
        ? `; ${r.notMigrated.reduce((s, f) => s + f.objects, 0)} objects still in the old storage version`
        : ''
    }.`,
    columns: ['Risk', 'API', 'Namespace / path', 'Objects / writes', 'Names / client'],
    rows,
  };
}
