import { describe, expect, it } from 'vitest';
import { helmKubeVersion, javaKubeVersion, pythonKubeVersion } from './tables.js';
import { parseVersion } from './version.js';

describe('parseVersion', () => {
  it.each([
    ['v1.17.3', '1.17.3'],
    ['1.21', '1.21.0'],
    ['v2', '2.0.0'],
    ['v1.20.0+bd9e442', '1.20.0+bd9e442'],
    ['v2.12.0-189-g5a4d76638', '2.12.0-189-g5a4d76638'],
    ['v1.14.0-alpha.2-8-gba926c6ce-dirty', '1.14.0-alpha.2-8-gba926c6ce-dirty'],
    ['20.0.0-SNAPSHOT', '20.0.0-SNAPSHOT'],
  ])('%s -> %s', (token, text) => {
    const r = parseVersion(token);
    expect(r.kind === 'ok' && r.version.text).toBe(text);
  });

  it.each([
    ['', 'missing'],
    ['v0.0.0', 'placeholder'],
    ['v0.0.0-master+$Format:%H$', 'placeholder'],
    ['unknown', 'placeholder'],
    ['latest', 'unparseable'],
    ['v1.2.3-01', 'unparseable'],
    ['v1.2.3-a..b', 'unparseable'],
    ['v1.2.3+$Format', 'unparseable'],
    ['1.2.3.4', 'unparseable'],
  ])('%s is %s', (token, kind) => {
    expect(parseVersion(token).kind).toBe(kind);
  });
});

describe('curated tables', () => {
  it('maps Helm minors to their client-go minor and leaves unknown ones null', () => {
    expect(helmKubeVersion(3, 0)).toBe('1.16.0');
    expect(helmKubeVersion(3, 3)).toBe('1.18.0');
    expect(helmKubeVersion(3, 14)).toBe('1.29.0');
    expect(helmKubeVersion(3, 20)).toBe('1.35.0');
    expect(helmKubeVersion(4, 0)).toBe('1.34.0');
    expect(helmKubeVersion(3, 21)).toBeNull();
    expect(helmKubeVersion(2, 16)).toBeNull();
  });

  it('maps Java client majors per the compatibility matrix, including its irregular rows', () => {
    expect(javaKubeVersion(5)).toBe('1.13.0');
    expect(javaKubeVersion(13)).toBe('1.20.0'); // generated from 1.20 by mistake
    expect(javaKubeVersion(14)).toBe('1.22.0');
    expect(javaKubeVersion(20)).toBe('1.28.0');
    expect(javaKubeVersion(21)).toBe('1.30.0'); // no release targets 1.29
    expect(javaKubeVersion(4)).toBeNull();
    expect(javaKubeVersion(27)).toBeNull();
  });

  it('maps python clients by both versioning schemes', () => {
    expect(pythonKubeVersion(8, 0)).toBe('1.12.0');
    expect(pythonKubeVersion(12, 0)).toBe('1.16.0');
    expect(pythonKubeVersion(17, 17)).toBe('1.17.17');
    expect(pythonKubeVersion(33, 1)).toBe('1.33.1');
    expect(pythonKubeVersion(13, 0)).toBeNull();
    expect(pythonKubeVersion(0, 1)).toBeNull();
    expect(pythonKubeVersion(100, 0)).toBeNull();
  });
});
