// Version gate: fails when the installed next, react, react-dom or react-server-dom-* is older
// than the release that fixes a known React Server Components advisory. RSC bugs hit every
// App Router app (no Server Function of our own is needed to be exposed), so a stale lockfile
// is a real risk. lib/cli/check-versions.test.ts runs this inside `npm test`.
// Usage: node lib/cli/check-versions.mjs
// Adding an advisory: append it below with the first fixed version on each release line
// (major.minor) and where the figures come from. docs/decisions/006 lists the sources.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { root } from './shared.mjs';

const RSC = ['react', 'react-dom', 'react-server-dom-webpack', 'react-server-dom-turbopack', 'react-server-dom-parcel'];

/**
 * `fixed`: per package group, the first fixed version on each release line. A version on a
 * listed line is vulnerable below that fix; a version on an unlisted line between
 * `affectedFrom` and the newest listed line got no fix and is vulnerable; a line newer than
 * every listed one was released after the fix. react and react-dom are held to the
 * react-server-dom fixes because React ships them in lockstep and tells users to upgrade all.
 */
export const ADVISORIES = [
  {
    id: 'CVE-2025-55182 / CVE-2025-66478 (React2Shell, RCE; GHSA-fv66-9v8q-g76r, GHSA-9qr9-h5gf-34mp)',
    packages: {
      [RSC.join(',')]: { affectedFrom: '19.0.0', fixed: ['19.0.1', '19.1.2', '19.2.1'] },
      next: { affectedFrom: '15.0.0', fixed: ['15.0.5', '15.1.9', '15.2.6', '15.3.6', '15.4.8', '15.5.7', '16.0.7'] },
    },
  },
  {
    id: 'CVE-2025-55184, CVE-2025-67779 (DoS) and CVE-2025-55183 (source exposure), 2025-12-11',
    packages: {
      [RSC.join(',')]: { affectedFrom: '19.0.0', fixed: ['19.0.3', '19.1.4', '19.2.3'] },
      next: {
        affectedFrom: '13.3.0',
        fixed: ['14.2.35', '15.0.7', '15.1.11', '15.2.8', '15.3.8', '15.4.10', '15.5.9', '16.0.10'],
      },
    },
  },
  {
    id: 'CVE-2026-23864 (RSC DoS), 2026-01',
    packages: { [RSC.join(',')]: { affectedFrom: '19.0.0', fixed: ['19.0.4', '19.1.5', '19.2.4'] } },
  },
  {
    id: 'CVE-2026-23870 (RSC DoS) and the Next.js May 2026 advisory',
    packages: {
      [RSC.join(',')]: { affectedFrom: '19.2.0', fixed: ['19.2.6'] },
      next: { affectedFrom: '16.0.0', fixed: ['16.2.6'] },
    },
  },
  {
    id: 'CVE-2026-44907 (RSC DoS; GHSA-wx67-qw84-cm4g)',
    packages: { [RSC.join(',')]: { affectedFrom: '19.2.0', fixed: ['19.2.8'] } },
  },
  {
    id: 'CVE-2026-126187 (RSC RCE with typed arrays; GHSA-xqc2-xf4c-x3h3)',
    packages: {
      [RSC.join(',')]: { affectedFrom: '19.0.0', fixed: ['19.0.9', '19.1.10', '19.2.9', '19.3.1'] },
      // No 16.3.x release has the fix; the first fixed Next.js is 16.4.1.
      next: { affectedFrom: '16.0.0', fixed: ['16.4.1'] },
    },
  },
];

/** [major, minor, patch, prerelease?] of a semver string; throws on anything else. */
function parse(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(version);
  if (!match) throw new Error(`Not a semver version: "${version}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3]), match[4]];
}

/** Negative, zero or positive like a sort comparator. A prerelease sorts before its release. */
export function compareVersions(a, b) {
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  if (pa[3] === pb[3]) return 0;
  if (pa[3] === undefined) return 1;
  if (pb[3] === undefined) return -1;
  return pa[3] < pb[3] ? -1 : 1;
}

const line = (version) => parse(version).slice(0, 2).join('.');
const lineOrder = (a, b) => compareVersions(`${a}.0`, `${b}.0`);

/** The first fixed version `version` must reach for one advisory entry, or null when not affected. */
export function requiredFix(version, { affectedFrom, fixed }) {
  if (compareVersions(version, affectedFrom) < 0) return null;
  const onLine = fixed.find((fix) => line(fix) === line(version));
  if (onLine) return compareVersions(version, onLine) < 0 ? onLine : null;
  const newest = fixed.reduce((a, b) => (compareVersions(a, b) > 0 ? a : b));
  // A line older than the newest fixed line with no fix of its own: upgrade to a fixed line.
  if (lineOrder(line(version), line(newest)) < 0) {
    return fixed.find((fix) => lineOrder(line(fix), line(version)) > 0) ?? newest;
  }
  return null;
}

/** Every advisory the given { package: version } map is exposed to. */
export function vulnerabilities(installed) {
  const found = [];
  for (const advisory of ADVISORIES) {
    for (const [names, entry] of Object.entries(advisory.packages)) {
      for (const name of names.split(',')) {
        const version = installed[name];
        if (!version) continue;
        const fix = requiredFix(version, entry);
        if (fix) found.push({ advisory: advisory.id, package: name, installed: version, fixedIn: fix });
      }
    }
  }
  return found;
}

/**
 * Installed versions of the gated packages, from node_modules. Next also vendors its own
 * react-server-dom builds (as canary versions) in next/dist/compiled; those are covered by
 * next's own version in each advisory.
 */
export function installedVersions(projectRoot = root) {
  const versions = {};
  for (const name of ['next', ...RSC]) {
    const file = path.join(projectRoot, 'node_modules', name, 'package.json');
    if (existsSync(file)) versions[name] = JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return versions;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const installed = installedVersions();
  const found = vulnerabilities(installed);
  if (found.length === 0) {
    console.log(
      `✔ No known RSC advisory applies: ${Object.entries(installed)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ')}`,
    );
  } else {
    for (const item of found) {
      console.error(
        `✖ ${item.package}@${item.installed} is affected by ${item.advisory}: upgrade to ${item.fixedIn} or later.`,
      );
    }
    process.exit(1);
  }
}
