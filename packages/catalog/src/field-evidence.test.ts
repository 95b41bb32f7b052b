import { describe, expect, it } from 'vitest';
import { fieldFindings, findingRecord, type KindEvidence, type Observation } from './field-evidence.js';

const obs = (label: string, lo: number, paths: string[], hi = lo): Observation => ({
  label,
  lo,
  hi,
  paths: new Set(paths),
});
const kind = (observations: Observation[]): KindEvidence => ({
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  observations,
});
const brief = (ev: KindEvidence) => fieldFindings(ev, 16).map((f) => `${f.change} ${f.path} 1.${f.since}`);

describe('fieldFindings', () => {
  it('dates an addition to the first source that has it, topmost path only', () => {
    const ev = kind([
      obs('openapi v1.22', 22, ['spec']),
      obs('kube-api fixtures v1.23', 23, ['spec']),
      obs('kube-api fixtures v1.24', 24, ['spec', 'spec.x', 'spec.x.y']),
      obs('openapi v1.28', 28, ['spec', 'spec.x', 'spec.x.y']),
    ]);
    expect(brief(ev)).toEqual(['field-added spec.x 1.24']);
    expect(findingRecord(fieldFindings(ev, 16)[0]!, ev).source).toBe('kube-api fixtures v1.23->v1.24');
  });

  it('does not call a field new when only a fixture lacked it (a document had it before)', () => {
    // Node spec.unschedulable: in every document, missing from the fuzzed 1.17-1.23 fixtures.
    const ev = kind([
      obs('openapi v1.16', 16, ['spec', 'spec.unschedulable']),
      obs('kube-api fixtures v1.17', 17, ['spec']),
      obs('openapi v1.17', 17, ['spec', 'spec.unschedulable']),
      obs('kube-api fixtures v1.24', 24, ['spec', 'spec.unschedulable']),
    ]);
    expect(brief(ev)).toEqual([]);
  });

  it('dates fields of an early document by the fixture of its minor', () => {
    const ev = kind([
      obs('openapi v1.29', 29, ['spec', 'spec.old']),
      obs('kube-api fixtures v1.30', 30, ['spec', 'spec.old']),
      // A 1.31-cycle snapshot named v1.30: it has the 1.31 field, the 1.30 fixture does not.
      obs('openapi v1.30', 30, ['spec', 'spec.new', 'spec.early'], 31),
      obs('kube-api fixtures v1.31', 31, ['spec', 'spec.new', 'spec.early']),
    ]);
    ev.observations[1] = obs('kube-api fixtures v1.30', 30, ['spec', 'spec.old', 'spec.early']);
    // spec.old is in the 1.30 fixture, so it went in 1.31 although the early document lacks it.
    expect(brief(ev)).toEqual([
      'field-added spec.early 1.30',
      'field-added spec.new 1.31',
      'field-removed spec.old 1.31',
    ]);
  });
});
