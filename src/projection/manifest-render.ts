/**
 * The bytes of `manifest.json`. Version 2 is written as Nix 2.8 writes it
 * (an array in element order, no priority, no outputs), which genledger's
 * profiles match byte for byte, unless an element has a priority other
 * than the default: 2.8 has no priorities, so such a manifest is written as
 * Nix 2.9-2.19 write version 2 (`priority` on every element), which keeps
 * the priority in the file and so in the profile's store path. Version 3 is
 * the current format (an object keyed by element name, priority always
 * written, outputs for sourced elements).
 * Both are nlohmann dumps: compact, keys in byte order, store paths as a
 * sorted set, no trailing newline.
 */

import { DEFAULT_PRIORITY } from './manifest-json.js';
import type { ManifestElement } from './manifest-json.js';
import { nlohmannDump } from './nlohmann-json.js';
import type { JsonValue } from './nlohmann-json.js';
import { stringSet } from './string-set.js';

export type WrittenManifestVersion = 2 | 3;

export function renderManifest(
  manifest: { readonly elements: readonly ManifestElement[] },
  version: WrittenManifestVersion,
): string {
  if (version === 3) return renderManifestV3(manifest.elements);
  return manifest.elements.every((element) => element.priority === DEFAULT_PRIORITY)
    ? renderManifestV2_28(manifest.elements)
    : renderManifestV2WithPriorities(manifest.elements);
}

/** Exactly what `nix profile` 2.8 writes (spec 7.2). */
export function renderManifestV2_28(elements: readonly ManifestElement[]): string {
  return nlohmannDump({
    elements: elements.map((element) => ({
      active: element.active,
      storePaths: sortedStorePaths(element),
      ...(element.source === undefined
        ? {}
        : { attrPath: element.source.attrPath, originalUrl: element.source.originalUrl, url: element.source.url }),
    })),
    version: 2,
  });
}

/** What Nix 2.9 to 2.19 write: version 2 with `priority` on every element (and outputs for sourced ones). */
export function renderManifestV2WithPriorities(elements: readonly ManifestElement[]): string {
  return nlohmannDump({ elements: elements.map(elementV3), version: 2 });
}

/** What Nix 2.20 and later write. Element names must be unique. */
export function renderManifestV3(elements: readonly ManifestElement[]): string {
  const names = new Set(elements.map((element) => element.name));
  if (names.size !== elements.length) throw new Error('renderManifestV3: element names are not unique');
  return nlohmannDump({
    elements: Object.fromEntries(elements.map((element) => [element.name, elementV3(element)])),
    version: 3,
  });
}

function elementV3(element: ManifestElement): JsonValue {
  const source = element.source;
  return {
    active: element.active,
    priority: element.priority,
    storePaths: sortedStorePaths(element),
    ...(source === undefined
      ? {}
      : {
          attrPath: source.attrPath,
          originalUrl: source.originalUrl,
          outputs: source.outputs == null ? null : stringSet(source.outputs),
          url: source.url,
        }),
  };
}

/** Nix holds store paths in a `std::set`: sorted, each once. */
function sortedStorePaths(element: ManifestElement): string[] {
  return stringSet(element.storePaths);
}
