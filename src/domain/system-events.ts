/**
 * The events of the `system` stream and the facts each records. Like
 * nixos-rebuild, `switch` and `boot` are two steps: the profile is set
 * (`SystemProfileSet`, as `nix-env --set` followed by the boot loader
 * install), then the configuration is activated (`SystemActivated`, as
 * `switch-to-configuration`), so a crash or a failed activation between
 * them leaves a ledger that says exactly how far it got. An activation
 * records its outcome (exit status, duration, output tail) as a fact:
 * replay never runs anything again. Deleting generations
 * (`SystemGenerationsDeleted`) removes their links and boot entries only.
 * What a configuration was built from and what it is (`build`,
 * system-build.ts) is on the event that first names it: SystemProfileSet,
 * or SystemActivated for `test`; version 1 of both had no `build`, and
 * reads as `build: null`. A change made to the system profile outside
 * genledger (`nix-env -p …/system --set`, a plain nixos-rebuild) is
 * recorded by `adopt -p system` as `SystemChangeObserved`: what was found,
 * with the numbers, paths and link mtimes Nix gave it. Version 3 of
 * SystemActivated may carry the specialisation activated and, on a real
 * root, what the activation left there (`observed`); both are absent
 * before and on a simulated root. On a real root reboots are observed
 * (`Booted`), never simulated (`Rebooted`).
 */
import type { SystemBuild } from './system-build.js';

export type ActivationAction = 'switch' | 'boot' | 'test';

export type SystemProfileSetHow = 'set' | 'rollback' | 'switch-generation';

export type ActivationOutcome =
  /** Nothing ran: `--no-activate`, or the configuration has no `bin/switch-to-configuration`. */
  | { readonly status: 'skipped'; readonly reason: 'no-activate' | 'no-script' }
  | {
      readonly status: 'succeeded' | 'failed';
      /** null when the script did not exit by itself (killed, or could not start). */
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly timedOut: boolean;
      readonly durationMs: number;
      /** The last bytes of stdout and stderr, interleaved as they arrived. */
      readonly outputTail: string;
      /** How many bytes of output there were in all. */
      readonly outputBytes: number;
    };

/** What a real root holds after an activation: NixOS's activation and boot loader installer write these, not genledger. */
export interface ObservedRoot {
  /** Where run/current-system points; null when there is no such link. */
  readonly currentSystem: string | null;
  /** The file names under boot/loader/entries (systemd-boot), sorted; empty when there are none. */
  readonly bootEntries: readonly string[];
}

export interface SystemEventMap {
  SystemProfileSet: {
    readonly action: 'switch' | 'boot';
    /** `set` a path, `rollback` to the generation before, or `switch-generation` to a given one. */
    readonly how: SystemProfileSetHow;
    /** The boot default before. */
    readonly from: number | null;
    readonly generation: number;
    /** False when the highest generation already had this path (Nix reuses it). */
    readonly created: boolean;
    readonly systemPath: string;
    /** How many generations the boot menu lists from now on. */
    readonly configurationLimit: number;
    /** null for a rollback (nothing was built) and for events of version 1. */
    readonly build: SystemBuild | null;
  };
  SystemActivated: {
    readonly action: ActivationAction;
    readonly systemPath: string;
    /** null for `test`: a test activation runs no generation. */
    readonly generation: number | null;
    readonly activation: ActivationOutcome;
    /** Set for `test` only: a generation's build is on its SystemProfileSet. */
    readonly build: SystemBuild | null;
    /** `--specialisation NAME`: its switch-to-configuration ran instead of the configuration's. */
    readonly specialisation?: string;
    /** On a real root: what genledger read there after the activation. */
    readonly observed?: ObservedRoot;
  };
  /** Generation links and boot entries removed; never the boot default, the booted or the running one. */
  SystemGenerationsDeleted: {
    readonly generations: readonly number[];
    /** The arguments as given (`old`, `+3`, `--keep 3 --keep-since 7d`, …). */
    readonly spec: readonly string[];
  };
  /** Generation links and the `system` link as found on disk, changed outside genledger. */
  SystemChangeObserved: {
    /** Links that appeared (or came back, or point elsewhere now), each with its link's mtime and owner. */
    readonly generations: readonly ObservedSystemGeneration[];
    /** Live generations whose links are gone. */
    readonly deleted: readonly number[];
    /** Present when the `system` link named another generation than the boot default: where it points now (null: nowhere), and its mtime. */
    readonly bootDefault?: { readonly from: number | null; readonly to: number | null; readonly since: string | null };
  };
  /** A boot observed on a real root: the kernel's boot id changed since the last one recorded. */
  Booted: {
    /** /proc/sys/kernel/random/boot_id. */
    readonly bootId: string;
    /** Where run/booted-system points; null when there is no such link. */
    readonly bootedSystem: string | null;
    /** The live generation with that path, if any. */
    readonly generation: number | null;
    /** The booted system's kernel version (as list-generations reads it); null when unknown. */
    readonly kernel: string | null;
    /** When genledger observed it (ISO). */
    readonly at: string;
  };
  Rebooted: {
    /** The generation booted (the boot default) and its path. */
    readonly generation: number;
    readonly systemPath: string;
    /** What was running before, for the audit trail. */
    readonly previouslyRunning: string | null;
  };
}

export interface ObservedSystemGeneration {
  readonly generation: number;
  readonly systemPath: string;
  /** ISO time of the link's mtime. */
  readonly createdAt: string;
  readonly linkOwner: number;
}

export type SystemEventType = keyof SystemEventMap;

export type SystemEvent = {
  [K in SystemEventType]: { readonly type: K; readonly data: SystemEventMap[K] };
}[SystemEventType];

/** Schema version of each event type as written today. */
export const systemEventVersions: Record<SystemEventType, number> = {
  SystemProfileSet: 2,
  SystemActivated: 3,
  Rebooted: 1,
  Booted: 1,
  SystemGenerationsDeleted: 1,
  SystemChangeObserved: 1,
};
