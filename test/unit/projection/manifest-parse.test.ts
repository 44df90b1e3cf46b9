import { describe, expect, it } from 'vitest';
import type { ManifestElement } from '../../../src/projection/manifest-json.js';
import { parseManifest } from '../../../src/projection/manifest-parse.js';
import { renderManifestV2_28, renderManifestV3 } from '../../../src/projection/manifest-render.js';
import { P1, P2, P3 } from './tree-fixtures.js';

const FILE = '/home/u/.local/state/nix/profiles/profile/manifest.json';
const pkga: ManifestElement = { name: 'pkga', active: true, priority: 5, storePaths: [P1] };
const pkgb: ManifestElement = { name: 'pkgb', active: true, priority: 5, storePaths: [P2] };
const hello = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello-2.12';

describe('parseManifest of what Nix wrote', () => {
  it('reads the version 2 manifest of vector 7.2, naming elements by package', () => {
    expect(parseManifest(renderManifestV2_28([pkga, pkgb]), FILE)).toEqual({ version: 2, elements: [pkga, pkgb] });
  });

  it('reads a version 1 manifest (originalUri/uri), naming a flake element from its attribute path', () => {
    const text = JSON.stringify({
      version: 1,
      elements: [
        { active: true, attrPath: 'packages.x86_64-linux.hello', originalUri: 'flake:nixpkgs', uri: 'github:NixOS/nixpkgs/abc', storePaths: [hello] },
        { active: false, storePaths: [P1] },
      ],
    });
    expect(parseManifest(text, FILE)).toEqual({
      version: 1,
      elements: [
        {
          name: 'hello',
          active: true,
          priority: 5,
          storePaths: [hello],
          source: { originalUrl: 'flake:nixpkgs', url: 'github:NixOS/nixpkgs/abc', attrPath: 'packages.x86_64-linux.hello' },
        },
        { name: 'pkga', active: false, priority: 5, storePaths: [P1] },
      ],
    });
  });

  it('reads a 2.9–2.19 version 2 manifest with priority and outputs', () => {
    const text = JSON.stringify({
      version: 2,
      elements: [
        { active: true, priority: 4, attrPath: 'hello', originalUrl: 'path:/c', url: 'path:/c?narHash=x', outputs: ['out', 'dev'], storePaths: [hello] },
        { active: true, priority: 5, attrPath: 'x', originalUrl: 'path:/c', url: 'path:/c?narHash=x', outputs: null, storePaths: [P1] },
      ],
    });
    expect(parseManifest(text, FILE).elements).toEqual([
      { name: 'hello', active: true, priority: 4, storePaths: [hello], source: { originalUrl: 'path:/c', url: 'path:/c?narHash=x', attrPath: 'hello', outputs: ['dev', 'out'] } },
      { name: 'x', active: true, priority: 5, storePaths: [P1], source: { originalUrl: 'path:/c', url: 'path:/c?narHash=x', attrPath: 'x' } },
    ]);
  });

  it('makes derived names unique in file order with -1, -2, …', () => {
    const text = renderManifestV2_28([pkga, { ...pkga, storePaths: [P1.replace('pkga-1.0', 'pkga-1.1')] }, pkga]);
    expect(parseManifest(text, FILE).elements.map((e) => e.name)).toEqual(['pkga', 'pkga-1', 'pkga-2']);
  });

  it('reads version 3 elements by key, in byte order of names, and round-trips them', () => {
    const elements = [{ ...pkgb, name: 'zed', priority: 2 }, pkga];
    const parsed = parseManifest(renderManifestV3(elements), FILE);
    expect(parsed.elements.map((e) => e.name)).toEqual(['pkga', 'zed']);
    expect(renderManifestV3(parsed.elements)).toBe(renderManifestV3(elements));
  });

  it('gives an element a source only when its url is a non-empty string', () => {
    const text = JSON.stringify({ version: 2, elements: [{ active: true, url: '', attrPath: 7, storePaths: [P3] }] });
    expect(parseManifest(text, FILE).elements).toEqual([{ name: 'pkgc', active: true, priority: 5, storePaths: [P3] }]);
  });

  it('sorts store paths and drops duplicates', () => {
    const text = JSON.stringify({ version: 2, elements: [{ active: true, storePaths: [P2, P1, P2] }] });
    expect(parseManifest(text, FILE).elements[0]?.storePaths).toEqual([P2, P1]);
  });
});

describe('parseManifest refuses malformed manifests with GENLEDGER_BAD_MANIFEST', () => {
  const element = { active: true, storePaths: [P1] };
  const v2 = (elements: unknown): string => JSON.stringify({ version: 2, elements });

  it.each([
    { given: 'truncated JSON', text: renderManifestV2_28([pkga]).slice(0, 40), problem: 'is not valid JSON' },
    { given: 'empty text', text: '', problem: 'is not valid JSON' },
    { given: 'an array', text: '[]', problem: 'is not a JSON object' },
    { given: 'null', text: 'null', problem: 'is not a JSON object' },
    { given: 'no version', text: '{"elements":[]}', problem: 'has no version' },
    { given: 'version 4', text: '{"elements":[],"version":4}', problem: 'has unsupported version 4' },
    { given: 'version "2"', text: '{"elements":[],"version":"2"}', problem: 'has unsupported version "2"' },
    { given: 'a huge version', text: '{"elements":[],"version":1e400}', problem: 'has unsupported version Infinity' },
    { given: 'version inside __proto__', text: '{"__proto__":{"version":2},"elements":[]}', problem: 'has no version' },
    { given: 'elements missing', text: '{"version":2}', problem: "has no 'elements' array or object" },
    { given: 'elements a string', text: '{"version":2,"elements":"x"}', problem: "has no 'elements' array or object" },
    { given: 'an element not an object', text: v2([5]), problem: 'has an invalid element: elements[0] is not an object' },
    { given: 'storePaths missing', text: v2([{ active: true }]), problem: 'has an invalid element: elements[0].storePaths is not an array' },
    { given: 'a store path a number', text: v2([{ active: true, storePaths: [1] }]), problem: 'has an invalid element: elements[0].storePaths[0] is not a store path: 1' },
    { given: 'a relative store path', text: v2([{ active: true, storePaths: ['nix/store/x'] }]), problem: 'is not a store path' },
    { given: 'a short hash', text: v2([{ active: true, storePaths: ['/nix/store/abc-hello'] }]), problem: 'is not a store path' },
    { given: 'active missing', text: v2([{ storePaths: [P1] }]), problem: 'has an invalid element: elements[0].active is not true or false' },
    { given: 'active a string', text: v2([{ ...element, active: 'yes' }]), problem: 'active is not true or false' },
    { given: 'a fractional priority', text: v2([{ ...element, priority: 1.5 }]), problem: 'priority is not a 32-bit integer: 1.5' },
    { given: 'a huge priority', text: v2([{ ...element, priority: 1e10 }]), problem: 'priority is not a 32-bit integer: 10000000000' },
    { given: 'a string priority', text: v2([{ ...element, priority: '5' }]), problem: 'priority is not a 32-bit integer: "5"' },
    { given: 'a url not a string', text: v2([{ ...element, url: 3 }]), problem: 'has an invalid element: elements[0].url is not a string' },
    { given: 'a source without attrPath', text: v2([{ ...element, url: 'u', originalUrl: 'o' }]), problem: 'elements[0].attrPath is not a string' },
    { given: 'a source without originalUrl', text: v2([{ ...element, url: 'u', attrPath: 'a' }]), problem: 'elements[0].originalUrl is not a string' },
    { given: 'empty outputs', text: v2([{ ...element, url: 'u', originalUrl: 'o', attrPath: 'a', outputs: [] }]), problem: 'outputs is neither null nor a list of output names' },
    { given: 'a v1 source without originalUri', text: JSON.stringify({ version: 1, elements: [{ ...element, uri: 'u', attrPath: 'a' }] }), problem: 'originalUri is not a string' },
    { given: 'a lone surrogate', text: v2([{ ...element, url: 'u', originalUrl: 'o', attrPath: '\\ud800' }]).replace('\\\\ud800', '\\ud800'), problem: 'attrPath is not valid Unicode' },
    { given: 'an element named __proto__', text: `{"version":3,"elements":{"__proto__":${JSON.stringify(element)}}}`, problem: 'has an invalid element: elements["__proto__"] has a name genledger cannot use' },
    { given: 'a bad element under a key', text: JSON.stringify({ version: 3, elements: { x: { active: 1, storePaths: [] } } }), problem: 'has an invalid element: elements["x"].active is not true or false' },
  ])('$given', ({ text, problem }) => {
    let thrown: unknown;
    try {
      parseManifest(text, FILE);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'GENLEDGER_BAD_MANIFEST', exitCode: 1 });
    const message = (thrown as Error).message;
    expect(message.startsWith(`profile manifest '${FILE}' `)).toBe(true);
    expect(message).toContain(problem);
    expect(message).not.toContain('\n');
  });
});
