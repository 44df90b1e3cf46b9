/**
 * Reading a profile directory as it is on disk, whoever wrote it.
 * `locateProfileLink` follows a link to a profile link (as ~/.nix-profile
 * points at /nix/var/nix/profiles/per-user/…/profile) to the profile link
 * itself; `readProfileLinks` lists the generation links beside it with their
 * targets, mtimes and owners, and the current generation (Nix's rules:
 * lstat mtimes, the number parsed from the profile link's text);
 * `readGenerationManifest` reads the `manifest.json` (versions 1-3) or the
 * nix-env `manifest.nix` inside a generation's store path; a nix-env one
 * stays in nix-env format when it rebuilds as the generation's path
 * (nix-env-observed.ts).
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { makeGenerationLinkName, parseCurrentGeneration, parseGenerationLinkName } from '../../domain/generation-link-name.js';
import type { ObservedLink, ObservedLinks, ObservedManifest } from '../../domain/observed-profile.js';
import type { ProfileElement } from '../../domain/profile-manifest.js';
import { isGenledgerError, refused } from '../../errors.js';
import { readBoundedFile } from '../../fsx/read-bounded-file.js';
import { parseEnvManifest } from '../../projection/env-manifest-parse.js';
import { parseManifest } from '../../projection/manifest-parse.js';
import type { ManifestElement } from '../../projection/manifest-json.js';
import { observedNixEnvGeneration } from '../../projection/nix-env-observed.js';
import type { StoreDir } from '../../store/store-path.js';

export interface ProfilePlace {
  readonly link: string;
  readonly dir: string;
  readonly base: string;
}

const MAX_HOPS = 8;

export function locateProfileLink(given: string): ProfilePlace {
  let path = given;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const place = { link: path, dir: dirname(path), base: basename(path) };
    const stat = lstatOrNull(path);
    if (stat === null) return place;
    if (!stat.isSymbolicLink()) throw notAProfile(given);
    const text = readlinkSync(path);
    if (parseCurrentGeneration(place.base, text) !== null) return place;
    const next = resolve(place.dir, text);
    if (!lstatOrNull(next)?.isSymbolicLink()) throw notAProfile(given);
    path = next;
  }
  throw notAProfile(given);
}

export function readProfileLinks(place: ProfilePlace): ObservedLinks {
  const generations: ObservedLink[] = [];
  const strays: { name: string; number: number }[] = [];
  for (const name of listDir(place.dir)) {
    const number = parseGenerationLinkName(place.base, name);
    if (number === null) continue;
    const stat = lstatOrNull(`${place.dir}/${name}`);
    if (stat === null) continue;
    if (name !== makeGenerationLinkName(place.base, number) || !stat.isSymbolicLink()) {
      strays.push({ name, number });
      continue;
    }
    generations.push({ number, target: readlinkSync(`${place.dir}/${name}`), mtime: isoTime(stat), owner: stat.uid });
  }
  generations.sort((a, b) => a.number - b.number);
  const profile = lstatOrNull(place.link);
  const named = profile?.isSymbolicLink() ? parseCurrentGeneration(place.base, readlinkSync(place.link)) : null;
  const current = named !== null && generations.some((link) => link.number === named) ? named : null;
  return {
    generations,
    current,
    currentSince: current === null || profile === null ? null : isoTime(profile),
    currentOwner: current === null || profile === null ? null : profile.uid,
    strays,
  };
}

/**
 * The manifest of the generation `generation.path` (in the store named
 * `generation.storeDir`) whose store path can be read at `root`; `open` gives the readable place of another store path (the env-manifest
 * a nix-env generation links to). Returns the env-manifest's store path too,
 * as it belongs to the generation's closure.
 */
export async function readGenerationManifest(
  root: string,
  label: string,
  open: (storePath: string) => Promise<string>,
  generation: { readonly storeDir: StoreDir; readonly path: string },
): Promise<ObservedManifest & { envManifest: string | null }> {
  const json = lstatOrNull(`${root}/manifest.json`);
  if (json?.isFile()) {
    const manifest = parseManifest(readText(`${root}/manifest.json`, label), `${label}/manifest.json`);
    return {
      manifest: { elements: manifest.elements.map(profileElement) },
      manifestVersion: manifest.version === 3 ? 3 : 2,
      format: `manifest.json v${manifest.version}`,
      envManifest: null,
    };
  }
  const nix = lstatOrNull(`${root}/manifest.nix`);
  if (nix === null) throw refused('GENLEDGER_BAD_MANIFEST', `${label} has neither a manifest.json nor a manifest.nix`, 'only profiles made by nix profile, nix-env or genledger can be taken over');
  const envManifest = nix.isSymbolicLink() ? readlinkSync(`${root}/manifest.nix`) : null;
  if (envManifest !== null && !isAbsolute(envManifest)) throw refused('GENLEDGER_BAD_MANIFEST', `${label}/manifest.nix links to '${envManifest}', not to a store path`);
  const file = envManifest === null ? `${root}/manifest.nix` : await open(envManifest);
  const read = observedNixEnvGeneration(generation.storeDir, generation.path, parseEnvManifest(readText(file, label), `${label}/manifest.nix`));
  return { manifest: { elements: read.elements }, manifestVersion: read.manifestVersion, format: 'manifest.nix', envManifest };
}

function profileElement(element: ManifestElement): ProfileElement {
  const { name, active, priority, storePaths, source } = element;
  return { name, active, priority, storePaths, ...(source === undefined ? {} : { source: { originalUrl: source.originalUrl, url: source.url, attrPath: source.attrPath } }) };
}

/** Manifests are small; a larger one, or anything but a regular file (a FIFO, a device), is refused before it is read. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

function readText(file: string, label: string): string {
  const refuse = (problem: string) => refused('GENLEDGER_BAD_MANIFEST', `the manifest of ${label} at ${file} ${problem}`, 'only profiles made by nix profile, nix-env or genledger can be taken over');
  let bytes: Buffer | null;
  try {
    bytes = readBoundedFile(file, { max: MAX_MANIFEST_BYTES, followLinks: true, refuse });
  } catch (error) {
    if (isGenledgerError(error)) throw error;
    throw refused('GENLEDGER_UNREADABLE', `cannot read the manifest of ${label} at ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (bytes === null) throw refused('GENLEDGER_UNREADABLE', `cannot read the manifest of ${label} at ${file}: ENOENT`);
  return bytes.toString('utf8');
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Link mtimes to the millisecond, as event times carry them. */
function isoTime(stat: Stats): string {
  return new Date(Math.floor(stat.mtimeMs)).toISOString();
}

function notAProfile(given: string) {
  return refused('GENLEDGER_NOT_A_PROFILE', `'${given}' is not a profile link (a symlink to NAME-N-link beside it)`, 'name a profile link, like /nix/var/nix/profiles/per-user/root/profile');
}
