import { describe, expect, it } from 'vitest';
import { describeDetails, renderMarkdown, renderResources, renderTable, resourceName } from './format.js';
import type { Change } from './model.js';
import { summarizeByResource } from './query.js';

const removed: Change = {
  change: 'gvk-removed',
  group: 'batch',
  version: 'v1beta1',
  kind: 'CronJob',
  resource: 'cronjobs',
  since: '1.25',
  details: { replacement: { group: 'batch', version: 'v1', servedSince: '1.21' } },
  source: 'curated: DG | 1.25',
};
const field: Change = {
  change: 'field-added',
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  path: 'spec.ipFamilyPolicy',
  since: '1.20',
  details: { ifOmitted: 'SingleStack' },
  source: 'openapi diff v1.19->v1.20',
};

describe('format', () => {
  it('describes details in one line', () => {
    expect(describeDetails(removed)).toBe('use batch/v1 (served since 1.21)');
    expect(describeDetails(field)).toBe('if omitted: SingleStack');
    expect(
      describeDetails({
        ...field,
        details: {
          oldDefault: 1,
          newDefault: '25%',
          oldStorageVersion: 'v1beta1',
          newStorageVersion: 'v1',
          featureGate: 'G',
        },
      }),
    ).toBe('default 1 -> 25%; stored as v1beta1 -> v1; gate G');
  });

  it('renders an aligned table with the core group as plain v1', () => {
    const lines = renderTable([removed, field]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^1\.20\s+field-added\s+v1\s+Service\s+spec\.ipFamilyPolicy\s+if omitted: SingleStack$/,
    );
    expect(lines[0]!.indexOf('KIND')).toBe(lines[1]!.indexOf('CronJob'));
  });

  it('renders markdown with sources and escaped pipes', () => {
    const md = renderMarkdown([removed]);
    expect(md).toContain(
      '| 1.25 | gvk-removed | batch/v1beta1 | CronJob |  | use batch/v1 (served since 1.21) | curated: DG \\| 1.25 |',
    );
  });

  it('names resources like kubectl and lists counts per resource', () => {
    expect(resourceName(removed)).toBe('cronjobs.batch');
    expect(resourceName(field)).toBe('services');
    const out = renderResources(summarizeByResource([removed, field, { ...field, path: 'spec.clusterIPs' }]));
    expect(out.split('\n')[1]).toMatch(/^services\s+v1\s+field-added=2$/);
    expect(out.split('\n')[2]).toMatch(/^cronjobs\.batch\s+batch\/v1beta1\s+gvk-removed=1$/);
  });
});
