/**
 * Element names, as manifest version 3 keys them. An element installed from
 * a reference is named from it (Nix's `getNameFromURL`): the `dir=` query
 * parameter, else the last attribute of the fragment unless that is `default`
 * or the fragment is `defaultPackage.<system>`, else the repository of a
 * github/gitlab/sourcehut reference, else the last path component. Otherwise,
 * and when those rules find nothing, the element is named by its packages:
 * the DrvName names of its store paths, sorted, joined by ", ". So a catalog
 * element `CATALOG#hello` is named `hello`, a store path `…-pkga-1.0` `pkga`.
 * A name already taken gets `-1`, `-2`, … appended.
 */

import { sortedPackageNames } from './drv-name.js';
import { stringSet } from './string-set.js';

export interface NameableSource {
  readonly originalUrl: string;
  readonly attrPath: string;
  readonly outputs?: readonly string[] | null;
}

export interface NameableElement {
  readonly storePaths: readonly string[];
  readonly source?: NameableSource;
}

const ATTRIBUTE = '[a-zA-Z0-9_-]+';
const LAST_ATTRIBUTE = new RegExp(`^((?:${ATTRIBUTE}\\.)*)(${ATTRIBUTE})(\\^.*)?$`);
const LAST_PATH_SEGMENT = new RegExp(`^.*/(${ATTRIBUTE})$`);
const SECOND_PATH_SEGMENT = new RegExp(`^${ATTRIBUTE}/(${ATTRIBUTE})(?:/.*)?$`);
const GIT_FORGES: ReadonlySet<string> = new Set(['github', 'gitlab', 'sourcehut']);

export function elementName(element: NameableElement): string {
  const fromReference = element.source === undefined ? null : nameFromReference(sourceReference(element.source));
  // Nix drops an empty package name here (`dropEmptyInitThenConcatStringsSep`), unlike in 2.8's history.
  return fromReference ?? sortedPackageNames(element.storePaths).filter((name) => name !== '').join(', ');
}

export function uniqueElementName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let suffix = 1; taken.has(name); suffix++) name = `${base}-${suffix}`;
  return name;
}

/** `getNameFromURL`: null when the reference holds nothing usable as a name. */
export function nameFromReference(reference: string): string | null {
  const url = splitReference(reference);
  const dir = url.query.get('dir');
  if (dir !== undefined) return dir;
  const attribute = LAST_ATTRIBUTE.exec(url.fragment);
  if (attribute !== null && attribute[1] !== 'defaultPackage.' && attribute[2] !== 'default') {
    return attribute[2] ?? null;
  }
  if (GIT_FORGES.has(url.scheme)) {
    const repository = SECOND_PATH_SEGMENT.exec(url.path);
    if (repository !== null) return repository[1] ?? null;
  }
  return LAST_PATH_SEGMENT.exec(url.path)?.[1] ?? null;
}

/** `originalRef#attrPath`, plus `^outputs` when they are not the default ones. */
function sourceReference(source: NameableSource): string {
  const outputs = source.outputs == null ? '' : `^${stringSet(source.outputs).join(',')}`;
  return `${source.originalUrl}#${source.attrPath}${outputs}`;
}

interface ReferenceParts {
  readonly scheme: string;
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly fragment: string;
}

/** Leniently, like Nix's `parseURL`: `scheme:[//authority]path[?query][#fragment]`, percent-decoded. */
function splitReference(reference: string): ReferenceParts {
  const [beforeFragment = '', ...fragment] = reference.split('#');
  const [beforeQuery = '', ...query] = beforeFragment.split('?');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(beforeQuery)?.[1] ?? '';
  const rest = beforeQuery.slice(scheme === '' ? 0 : scheme.length + 1);
  return {
    scheme,
    path: percentDecode(withoutAuthority(rest)),
    query: parseQuery(query.join('?')),
    fragment: percentDecode(fragment.join('#')),
  };
}

function withoutAuthority(hierarchy: string): string {
  if (!hierarchy.startsWith('//')) return hierarchy;
  const pathStart = hierarchy.indexOf('/', 2);
  return pathStart === -1 ? '' : hierarchy.slice(pathStart);
}

function parseQuery(query: string): ReadonlyMap<string, string> {
  const parameters = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals > 0) parameters.set(percentDecode(pair.slice(0, equals)), percentDecode(pair.slice(equals + 1)));
  }
  return parameters;
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
