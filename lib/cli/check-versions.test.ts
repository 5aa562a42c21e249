import { describe, expect, it } from 'vitest';

import { compareVersions, installedVersions, vulnerabilities } from './check-versions.mjs';

describe('the RSC advisory version gate', () => {
  it('passes for the versions installed in node_modules', () => {
    const installed = installedVersions();
    expect(Object.keys(installed)).toEqual(expect.arrayContaining(['next', 'react', 'react-dom']));
    expect(vulnerabilities(installed)).toEqual([]);
  });

  it.each([
    // React2Shell: the first fixed versions on each 19.x line.
    [{ react: '19.2.0' }, 'CVE-2025-55182', '19.2.1'],
    [{ 'react-server-dom-webpack': '19.1.1' }, 'CVE-2025-55182', '19.1.2'],
    [{ next: '16.0.6' }, 'CVE-2025-66478', '16.0.7'],
    // The December DoS/source-exposure follow-ups, whose first fix was incomplete.
    [{ 'react-dom': '19.2.2' }, 'CVE-2025-67779', '19.2.3'],
    [{ next: '15.5.8' }, 'CVE-2025-55184', '15.5.9'],
    // No 16.3.x release carries the typed-array RCE fix: the way out is 16.4.1.
    [{ next: '16.3.5' }, 'CVE-2026-126187', '16.4.1'],
    [{ react: '19.3.0' }, 'CVE-2026-126187', '19.3.1'],
  ])('flags %o for %s (fixed in %s)', (installed, advisory, fixedIn) => {
    const found = vulnerabilities(installed);
    expect(found.find((item) => item.advisory.includes(advisory))).toMatchObject({ fixedIn });
  });

  it.each([
    [{ react: '19.3.1', 'react-dom': '19.3.1', next: '16.4.6' }],
    [{ react: '19.2.9' }],
    [{ react: '18.3.1', next: '14.2.35' }],
  ])('lets %o through', (installed) => {
    expect(vulnerabilities(installed)).toEqual([]);
  });

  it('orders versions by semver, prereleases before their release', () => {
    expect(compareVersions('19.3.0-canary-278794d7-20261002', '19.3.0')).toBeLessThan(0);
    expect(compareVersions('16.10.0', '16.9.9')).toBeGreaterThan(0);
    expect(() => compareVersions('latest', '1.0.0')).toThrow(/Not a semver version/);
  });
});
