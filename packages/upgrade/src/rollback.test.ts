import { describe, expect, it } from 'vitest';
import { rollbackCheck } from './rollback.js';

const head = { from: '1.26', to: '1.27', since: '2026-03-05T00:00:00.000Z' };
const obj = (risk: 'new-group-version' | 'storage-version-moved' | 'not-migrated') => ({
  risk,
  api_group: 'g',
  api_version: risk === 'new-group-version' ? 'v1' : '',
  resource: 'rs',
  namespace: 'ns',
  objects: 1,
  names: ['o'],
  writes: 1,
  sample_ids: ['id'],
});

describe('rollbackCheck', () => {
  it('is ready with nothing, and with only objects still to migrate (not a rollback blocker)', () => {
    expect(rollbackCheck(head, [], []).ready).toBe(true);
    const r = rollbackCheck(head, [obj('not-migrated')], []);
    expect(r.ready).toBe(true);
    expect(r.notMigrated[0]!.api).toBe('g/rs');
  });

  it('is not ready with any new group/version object, storage-moved write or added field set', () => {
    expect(rollbackCheck(head, [obj('new-group-version')], []).newGroupVersions[0]!.api).toBe('g/v1/rs');
    expect(rollbackCheck(head, [obj('new-group-version')], []).ready).toBe(false);
    expect(rollbackCheck(head, [obj('storage-version-moved')], []).ready).toBe(false);
    const f = rollbackCheck(
      head,
      [],
      [{ api_group: '', resource: 'pods', path: 'spec.x', client_name: 'c', writes: 2, sample_id: 'a' }],
    );
    expect(f.ready).toBe(false);
    expect(f.addedFieldsSet).toEqual([
      { api: 'core/pods', path: 'spec.x', client: 'c', writes: 2, sampleAuditId: 'a' },
    ]);
  });
});
