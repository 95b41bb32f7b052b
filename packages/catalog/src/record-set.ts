import type { Curated } from './curated.js';
import type { KindLifecycle } from './lifecycle.js';
import { minorNumber } from './minor.js';
import { type Change, changeKey } from './model.js';
import { gvkKey } from './resources.js';

/** Records by identity; one identity can recur in several minors (a field removed, then re-added). */
export class RecordSet {
  private readonly byKey = new Map<string, Change[]>();

  add(c: Change): void {
    const key = changeKey(c);
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), c]);
  }

  /**
   * Folds a curated record into the generated record of the same change and minor: one record that
   * names both sources, with both details. `other` is the minor the generated record nearest in time
   * has when none has the curated minor (a contradiction for the caller to report); `found` whether
   * there was a generated record at all (if not, the curated one is added as it is).
   */
  merge(cur: Change): { found: boolean; other?: string } {
    const key = changeKey(cur);
    const list = this.byKey.get(key) ?? [];
    if (list.length === 0) {
      this.byKey.set(key, [cur]);
      return { found: false };
    }
    const same = list.find((c) => c.since === cur.since);
    if (!same) {
      const dist = (c: Change) => Math.abs(minorNumber(c.since) - minorNumber(cur.since));
      return { found: true, other: [...list].sort((x, y) => dist(x) - dist(y))[0]!.since };
    }
    const details = { ...same.details, ...cur.details };
    const merged: Change = { ...same, source: `${same.source}; ${cur.source}` };
    if (Object.keys(details).length > 0) merged.details = details;
    this.byKey.set(
      key,
      list.map((c) => (c === same ? merged : c)),
    );
    return { found: true };
  }

  /**
   * Gives deprecated and removed records their replacement: the curated one (DG's advice, which
   * can skip a tag's replacement that was itself removed: autoscaling/v2beta1 -> v2), else the
   * tag's, served since the minor the replacement kind was added (when the catalog knows it).
   */
  attachReplacements(lives: KindLifecycle[], curated: Curated): void {
    const byKey = new Map(lives.map((l) => [gvkKey(l), l]));
    const advised = new Map<string, NonNullable<Curated['apis'][number]['replacement']>>();
    for (const api of curated.apis) {
      if (api.replacement)
        for (const kind of api.kinds) advised.set(gvkKey({ ...api, kind }), api.replacement);
    }
    for (const list of this.byKey.values()) {
      for (const c of list) {
        if (c.change !== 'gvk-deprecated' && c.change !== 'gvk-removed') continue;
        if (c.details?.replacement) continue;
        const cur = advised.get(gvkKey(c));
        if (cur) {
          c.details = { ...c.details, replacement: cur };
          continue;
        }
        const rep = byKey.get(gvkKey(c))?.replacement;
        if (!rep) continue;
        const [group = '', version = ''] = rep.split('/');
        const added = byKey.get(rep)?.added;
        c.details = {
          ...c.details,
          replacement: { group, version, ...(added ? { servedSince: `1.${added.since}` } : {}) },
        };
      }
    }
  }

  all(): Change[] {
    return [...this.byKey.values()].flat();
  }
}
