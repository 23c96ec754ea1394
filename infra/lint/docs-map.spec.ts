import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/README.md is the map of the codebase a new maintainer starts from: every path it names
// must exist, and every package and API feature folder must be on it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const map = readFileSync(`${root}docs/README.md`, 'utf8');
const folders = (dir: string) =>
  readdirSync(`${root}${dir}`, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

describe('the codebase map (docs/README.md)', () => {
  it('names only paths that exist', () => {
    const named = [...map.matchAll(/`((?:apps|packages|infra|bench|deploy|docs)\/[\w./-]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((path) => !existsSync(`${root}${path}`))).toEqual([]);
  });

  it('lists every package and every API feature folder', () => {
    const tree = map.slice(map.indexOf('## Folders'), map.indexOf('## How a request travels'));
    const missingPackages = folders('packages').filter((name) => !new RegExp(`^  ${name}/`, 'm').test(tree));
    const missingFeatures = folders('apps/api/src/features').filter((name) => !new RegExp(`\\b${name}\\b`).test(tree));
    expect({ missingPackages, missingFeatures }).toEqual({ missingPackages: [], missingFeatures: [] });
  });
});
