/**
 * The boot loader files a system profile's generations call for, as
 * systemd-boot's NixOS builder writes them, simplified: one entry per
 * generation, newest first, at most `configurationLimit` of them, plus
 * `loader.conf` naming the default. The default generation's entry is never
 * dropped by the limit: a boot menu without the configuration it boots by
 * default would be broken. Projection compares this plan with the boot
 * directory, writing what differs and removing entries no longer planned.
 *
 * Simplifications, on purpose: entries point at the kernel, initrd and init
 * inside the generation's store path instead of copies on an EFI partition,
 * and carry no kernel parameters or machine id. The date is the UTC day of
 * the generation's creation (NixOS uses local time), so the same ledger
 * gives the same bytes anywhere.
 */
import { refused, usageError } from '../errors.js';
import type { GenerationSummary } from './generation-rules.js';
import { formatUtcDate } from './utc-date.js';

export interface BootEntriesPlan {
  /** Path relative to the boot directory → file content. */
  readonly files: ReadonlyMap<string, string>;
}

export const DEFAULT_CONFIGURATION_LIMIT = 10;
export const LOADER_CONF = 'loader/loader.conf';
export const ENTRIES_DIR = 'loader/entries';
const TIMEOUT_SECONDS = 5;

export function planBootEntries(
  generations: readonly GenerationSummary[],
  bootDefault: number | null,
  configurationLimit: number = DEFAULT_CONFIGURATION_LIMIT,
): BootEntriesPlan {
  checkConfigurationLimit(configurationLimit);
  const newestFirst = [...generations].sort((a, b) => b.number - a.number);
  const defaultGeneration = newestFirst.find((generation) => generation.number === bootDefault);
  if (bootDefault !== null && defaultGeneration === undefined) {
    throw refused(
      'GENLEDGER_NO_SUCH_GENERATION',
      `boot default generation ${bootDefault} does not exist`,
      "see 'genledger system list-generations'",
    );
  }
  const listed = newestFirst.slice(0, configurationLimit);
  const withDefault =
    defaultGeneration === undefined || listed.includes(defaultGeneration) ? listed : [...listed, defaultGeneration];
  const files = new Map<string, string>();
  for (const generation of withDefault) {
    files.set(`${ENTRIES_DIR}/${entryFileName(generation.number)}`, entry(generation));
  }
  files.set(LOADER_CONF, loaderConf(bootDefault));
  return { files };
}

/** A boot menu lists at least one generation: the one it boots by default. */
export function checkConfigurationLimit(configurationLimit: number): void {
  if (Number.isSafeInteger(configurationLimit) && configurationLimit >= 1) return;
  throw usageError(
    'GENLEDGER_BAD_CONFIGURATION_LIMIT',
    `invalid configuration limit '${configurationLimit}'`,
    'give the number of generations to keep in the boot menu, at least 1',
  );
}

/** Entry files genledger writes, and so may remove; other files in the entries directory are left alone. */
export function isEntryFileName(name: string): boolean {
  return /^nixos-generation-[1-9][0-9]*\.conf$/.test(name);
}

export function entryFileName(generation: number): string {
  return `nixos-generation-${generation}.conf`;
}

function entry({ number, createdAt, storePath }: GenerationSummary): string {
  return [
    'title NixOS',
    'sort-key nixos',
    `version Generation ${number}, built on ${formatUtcDate(createdAt)}`,
    `linux ${storePath}/kernel`,
    `initrd ${storePath}/initrd`,
    `options init=${storePath}/init`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}

function loaderConf(bootDefault: number | null): string {
  const lines = [`timeout ${TIMEOUT_SECONDS}`];
  if (bootDefault !== null) lines.push(`default ${entryFileName(bootDefault)}`);
  return lines.map((line) => `${line}\n`).join('');
}
