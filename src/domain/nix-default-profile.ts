/**
 * Which profile Nix 2.8's `nix profile` and `nix-env` use when none is
 * named (getDefaultProfile in Nix's libstore/profiles.cc): the profile
 * `~/.nix-profile` points at, read one hop as Nix reads it (the profile
 * link, never the generation behind it); when `~/.nix-profile` does not
 * exist, the one Nix creates it pointing at: `<stateDir>/profiles/default`
 * for root, `<stateDir>/profiles/per-user/<user>/profile` for anyone else.
 * A `~/.nix-profile` that is not a link is taken as the profile itself, as
 * Nix takes it when it cannot read the link.
 *
 * Newer Nix (2.14 on, with use-xdg-base-directories) defaults to
 * `$XDG_STATE_HOME/nix/profiles/profile`; genledger follows the installed
 * 2.8. Pure: the caller reads the environment and the link.
 */
import { posix } from 'node:path';

export type NixProfileLinkFact =
  | { readonly kind: 'absent' }
  | { readonly kind: 'symlink'; readonly target: string }
  /** A file or directory, or a link that could not be read. */
  | { readonly kind: 'other' };

export interface DefaultProfileFacts {
  /** $HOME (absolute). */
  readonly home: string;
  readonly user: string;
  readonly uid: number;
  /** Nix's state directory, e.g. /nix/var/nix. */
  readonly stateDir: string;
  readonly nixProfileLink: NixProfileLinkFact;
}

export interface DefaultProfileDecision {
  /** The profile link to manage: absolute and normalised. */
  readonly profile: string;
  /** `~/.nix-profile` to create (absent today), as Nix does the first time it needs the default profile. */
  readonly createLink: { readonly link: string; readonly target: string } | null;
}

export function nixProfileLinkPath(home: string): string {
  return posix.join(home, '.nix-profile');
}

export function decideDefaultProfile(facts: DefaultProfileFacts): DefaultProfileDecision {
  const link = nixProfileLinkPath(facts.home);
  switch (facts.nixProfileLink.kind) {
    case 'absent': {
      const target = facts.uid === 0 ? posix.join(facts.stateDir, 'profiles/default') : posix.join(facts.stateDir, 'profiles/per-user', facts.user, 'profile');
      return { profile: target, createLink: { link, target } };
    }
    case 'symlink':
      return { profile: posix.resolve(posix.dirname(link), facts.nixProfileLink.target), createLink: null };
    case 'other':
      return { profile: link, createLink: null };
    default: {
      const never: never = facts.nixProfileLink;
      return never;
    }
  }
}

/**
 * The link text `nix-env --switch-profile` (switchLink) writes for a
 * profile: relative (its base name) when the profile lies beside the link,
 * absolute otherwise.
 */
export function switchLinkText(link: string, profile: string): string {
  return posix.dirname(profile) === posix.dirname(link) ? posix.basename(profile) : profile;
}
