/**
 * Flake references as text, read the way Nix 2.8 reads them, without the
 * disk: which installables are certainly flakes, which name a local path
 * whose kind decides (a catalog file or a flake directory), and whether a
 * reference is locked.
 *
 * An installable is split at its first `#` into a reference and an
 * attribute path, as Nix splits it. A URL with a scheme other than `path:`
 * (`github:`, `git+file:`, `flake:`, `https:`, …) is a flake, with or
 * without `#` (without it, the flake's default package). A registry id
 * (`nixpkgs#hello`, `nixpkgs/branch#x`) and a path (`.#hello`, `./dir#x`,
 * `/abs/dir#x`, `path:/abs/dir#x`) followed by `#` name something local
 * first: the caller looks at the disk. Anything without `#` or a scheme
 * (a store path, a link, a directory to add) is not a flake reference.
 */

export type InstallableSyntax =
  | { readonly kind: 'flake' }
  /**
   * `PATH#attr`: a catalog when PATH is a regular file, a flake when it is a
   * directory. `registryId` says that PATH also reads as a flake registry
   * id, which Nix looks up when no such file exists.
   */
  | { readonly kind: 'local'; readonly path: string; readonly attr: string; readonly registryId: boolean }
  | { readonly kind: 'other' };

const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
/** Nix 2.8's flake id, optionally followed by a ref and a revision (`flakeRegex`). */
const registryId = /^[a-zA-Z][a-zA-Z0-9_-]*(?:\/[a-zA-Z0-9@][a-zA-Z0-9_.@-]*){0,2}$/;
const gitRevision = /^[0-9a-f]{40}$/;
const forges: ReadonlySet<string> = new Set(['github', 'gitlab', 'sourcehut']);

export function installableSyntax(text: string): InstallableSyntax {
  const hash = text.indexOf('#');
  const reference = hash < 0 ? text : text.slice(0, hash);
  const attr = hash < 0 ? '' : text.slice(hash + 1);
  const urlScheme = scheme.exec(reference)?.[1];
  if (urlScheme !== undefined && urlScheme !== 'path') return { kind: 'flake' };
  if (urlScheme === 'path') {
    if (hash < 0) return { kind: 'flake' };
    const question = reference.indexOf('?');
    return { kind: 'local', path: reference.slice('path:'.length, question < 0 ? reference.length : question), attr, registryId: false };
  }
  if (hash < 0) return { kind: 'other' };
  return { kind: 'local', path: reference, attr, registryId: registryId.test(reference) };
}

/**
 * Nix 2.8's `Input::isLocked`: a reference with a revision or a NAR hash
 * is locked (`nix profile upgrade` leaves it alone), any other floats.
 */
export function isLockedFlakeRef(url: string): boolean {
  const withoutFragment = url.split('#')[0] ?? '';
  const question = withoutFragment.indexOf('?');
  const query = question < 0 ? '' : withoutFragment.slice(question + 1);
  const parameters = query.split('&').map((pair) => pair.split('=')[0]);
  if (parameters.includes('rev') || parameters.includes('narHash')) return true;
  const location = question < 0 ? withoutFragment : withoutFragment.slice(0, question);
  const urlScheme = scheme.exec(location)?.[1];
  const path = urlScheme === undefined ? location : location.slice(urlScheme.length + 1);
  const segments = path.split('/');
  if (urlScheme !== undefined && forges.has(urlScheme)) return gitRevision.test(segments[2] ?? '');
  if (urlScheme === undefined || urlScheme === 'flake') return segments.some((segment) => gitRevision.test(segment));
  return false;
}
