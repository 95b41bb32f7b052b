import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hideKafkajsTimerWarning } from './client.js';

describe('hideKafkajsTimerWarning', () => {
  it("drops only kafkajs' negative-timeout warning and hands every other one to the printers", () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    const printed: string[] = [];
    proc.on('warning', (w: Error) => printed.push(w.name));
    hideKafkajsTimerWarning(proc);
    const warn = (name: string) => Object.assign(new Error('w'), { name });
    proc.emit('warning', warn('TimeoutNegativeWarning'));
    proc.emit('warning', warn('DeprecationWarning'));
    expect(printed).toEqual(['DeprecationWarning']);
  });
});
