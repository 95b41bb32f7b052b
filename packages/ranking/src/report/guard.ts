import { guardLabel } from '../guard.js';
import type { GuardEntry } from '../types.js';
import { clientLabel, gvr } from './labels.js';
import type { ReportSection } from './model.js';

export const GUARD_SECTION_TITLE = 'Guard verdicts';

/**
 * The report's "Guard verdicts" section: per client, version and resource, how many full
 * updates the admission guard refused, warned about and flagged (audit mode), with the fields.
 */
export function guardSection(entries: readonly GuardEntry[]): ReportSection {
  const denied = entries.reduce((n, e) => n + e.denied, 0);
  const warned = entries.reduce((n, e) => n + e.warned, 0);
  const flagged = entries.reduce((n, e) => n + e.wouldDeny, 0);
  return {
    title: GUARD_SECTION_TITLE,
    text: entries.length
      ? `The admission guard (radar guard, docs/guard.md) refused ${denied}, warned on ${warned} and flagged ${flagged} ` +
        'full updates in this window (flagged: audit mode, allowed and recorded). ' +
        'Clients marked "not ranked" are not at risk for this upgrade but were judged on fields of an earlier one.'
      : 'The admission guard judged no update in this window (not deployed, or no old client sent a full update of a watched resource).',
    columns: [
      'Client',
      'Kubernetes',
      'Resource',
      'Denied',
      'Warned',
      'Flagged (would deny)',
      'Undecided',
      'Fields',
      'Users',
      'Sample audit IDs',
    ],
    rows: entries.map((e) => [
      `${clientLabel(e)}${e.ranked ? '' : ' (not ranked)'}`,
      e.kubeVersion ?? 'unknown',
      gvr(e),
      e.denied,
      e.warned,
      e.wouldDeny,
      e.undecided + e.other,
      e.fields.join(', '),
      e.users.join(', '),
      e.sampleAuditIds.join(' '),
    ]),
  };
}

/** The guard's mark for a client or finding cell: '' when it judged nothing. */
export const guardCell = (c: { guard?: Parameters<typeof guardLabel>[0] }): string => guardLabel(c.guard);
