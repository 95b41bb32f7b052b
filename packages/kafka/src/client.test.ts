import { describe, expect, it } from 'vitest';
import { assignmentOf, nextOffset } from './client.js';

describe('kafka client helpers', () => {
  it('commits the offset after the last processed one, past 2^53 too', () => {
    expect(nextOffset('0')).toBe('1');
    expect(nextOffset('41')).toBe('42');
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });

  it('refuses anything but a decimal offset, naming it', () => {
    expect(() => nextOffset('-1')).toThrow('bad Kafka offset: "-1"');
    expect(() => nextOffset('')).toThrow('bad Kafka offset: ""');
    expect(() => nextOffset('1e3')).toThrow('bad Kafka offset');
  });

  it('lists a member assignment by topic with partitions in order', () => {
    expect(assignmentOf({ 'k8s-audit.dlq': [1, 0], 'k8s-audit': [3, 0, 2] })).toEqual([
      { topic: 'k8s-audit', partitions: [0, 2, 3] },
      { topic: 'k8s-audit.dlq', partitions: [0, 1] },
    ]);
    expect(assignmentOf({})).toEqual([]);
  });
});
