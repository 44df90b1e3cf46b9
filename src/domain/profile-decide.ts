/**
 * decide(state, command, context): the pure heart of every profile
 * operation. It validates the command against the folded state, computes
 * the new manifest and, through the injected `profilePathOf`, the profile
 * store path it materialises to, and returns the events that record it.
 * It throws typed errors and never touches the disk or the clock.
 */
import jsonPatch from 'fast-json-patch';
import { refused } from '../errors.js';
import { uniqueElementName } from '../projection/element-name.js';
import { elementMatcher, noMatchMessage } from './element-matcher.js';
import { nixEnvInstall, nixEnvReadBack, nixEnvUpgrade, withNixEnvFields } from './nix-env-decide.js';
import { generationsToDelete, nextGeneration, rollbackTarget, switchTarget, undoTarget } from './generation-rules.js';
import { parseDeletionSpecs, parseOlderThan } from './generation-spec.js';
import type { ProfileCommand } from './profile-commands.js';
import type { GenerationFacts, ManifestVersion, ProfileEvent } from './profile-events.js';
import { emptyManifest, findElement } from './profile-manifest.js';
import type { ProfileElement, ProfileManifest } from './profile-manifest.js';
import { currentGeneration } from './profile-state.js';
import type { ProfileState } from './profile-state.js';
import { generationSummaries } from './generation-summaries.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { compare } = jsonPatch;

export interface DecideContext {
  readonly profile: string;
  readonly storeDir: string;
  readonly nowSeconds: number;
  readonly manifestVersion: ManifestVersion;
  profilePathOf(manifest: ProfileManifest, version: ManifestVersion): string;
}

export function decide(state: ProfileState, command: ProfileCommand, context: DecideContext): ProfileEvent[] {
  const events = decideOnExisting(state, command, context);
  if (state.exists || events.length === 0) return events;
  return [{ type: 'ProfileCreated', data: { profile: context.profile } }, ...events];
}

function decideOnExisting(state: ProfileState, command: ProfileCommand, context: DecideContext): ProfileEvent[] {
  const nixEnv = context.manifestVersion === 'nix-env';
  const current = currentGeneration(state)?.manifest ?? emptyManifest;
  // nix-env reads the installed elements back before every change (spec 8.2).
  const manifest = nixEnv ? nixEnvReadBack(current) : current;
  switch (command.kind) {
    case 'install': {
      if (nixEnv) {
        const next = nixEnvInstall(manifest, command.installables);
        return [{ type: 'PackagesInstalled', data: { ...generationFacts(state, next.manifest, context), installed: next.installed } }];
      }
      const taken = new Set(manifest.elements.map((element) => element.name));
      const fresh = command.installables.filter((item) => !manifest.elements.some((e) => sameContent(e, item)));
      if (fresh.length === 0) return [];
      const installed = fresh.map((item) => {
        const name = uniqueElementName(item.name, taken);
        taken.add(name);
        return { ...item, name };
      });
      const added: ProfileElement[] = installed.map(({ installable: _, ...element }) => ({ ...element, active: true }));
      const facts = generationFacts(state, { elements: [...manifest.elements, ...added] }, context);
      return [{ type: 'PackagesInstalled', data: { ...facts, installed } }];
    }
    case 'remove': {
      const matchers = command.matchers.map((argument) => ({ argument, matches: elementMatcher(argument, context.storeDir) }));
      for (const { argument, matches } of matchers) {
        if (!manifest.elements.some(matches)) throw refused('GENLEDGER_NO_MATCH', noMatchMessage(argument, context.storeDir), 'see genledger profile list');
      }
      const removed = manifest.elements.filter((element, index) => matchers.some(({ matches }) => matches(element, index)));
      const kept = manifest.elements.filter((element) => !removed.includes(element));
      const facts = generationFacts(state, { elements: kept }, context);
      return [{ type: 'PackagesRemoved', data: { ...facts, removed } }];
    }
    case 'upgrade': {
      const upgraded = command.upgrades.flatMap((upgrade) => {
        const element = findElement(manifest, upgrade.name);
        if (element === undefined) throw refused('GENLEDGER_NO_MATCH', `no installed package is named '${upgrade.name}'`);
        if (sameStrings(element.storePaths, upgrade.storePaths) && element.source?.url === upgrade.source.url) return [];
        return [{ name: upgrade.name, from: { storePaths: element.storePaths, url: element.source?.url }, to: { storePaths: upgrade.storePaths, url: upgrade.source.url } }];
      });
      if (upgraded.length === 0) return [];
      const elements = manifest.elements.map((element) => {
        const upgrade = command.upgrades.find((u) => u.name === element.name);
        if (upgrade === undefined) return element;
        return nixEnv ? nixEnvUpgrade(element, upgrade) : { ...element, storePaths: upgrade.storePaths, source: upgrade.source };
      });
      const facts = generationFacts(state, { elements }, context);
      return [{ type: 'PackagesUpgraded', data: { ...facts, upgraded } }];
    }
    case 'set-priority': {
      const element = findElement(manifest, command.name);
      if (element === undefined) throw refused('GENLEDGER_NO_MATCH', `no installed package is named '${command.name}'`, 'see genledger profile list');
      if (element.priority === command.priority) return [];
      const elements = manifest.elements.map((e) => (e === element ? { ...e, priority: command.priority } : e));
      const facts = generationFacts(state, { elements }, context);
      return [{ type: 'PriorityChanged', data: { ...facts, name: command.name, from: element.priority, to: command.priority } }];
    }
    case 'rollback': {
      const summaries = generationSummaries(state);
      const to = command.to === undefined ? rollbackTarget(summaries, state.current) : switchTarget(summaries, command.to);
      return [switchEvent(state, to, 'rollback', context)];
    }
    case 'switch-generation':
      return [switchEvent(state, switchTarget(generationSummaries(state), command.to), 'switch', context)];
    case 'undo':
      return [switchEvent(state, undoTarget(state.switches, generationSummaries(state)), 'undo', context)];
    case 'restore': {
      const generation = state.generations[command.generation];
      if (generation === undefined) throw refused('GENLEDGER_NO_SUCH_GENERATION', `profile version ${command.generation} never existed`);
      if (!generation.deleted) {
        throw refused('GENLEDGER_GENERATION_EXISTS', `profile version ${command.generation} still exists`, `switch to it with genledger profile switch-generation ${command.generation}`);
      }
      const facts = generationFacts(state, generation.manifest, { ...context, manifestVersion: generation.manifestVersion });
      return [{ type: 'GenerationRestored', data: { ...facts, restored: command.generation } }];
    }
    case 'delete-generations': {
      const spec = parseDeletionSpecs(command.spec);
      const generations = generationsToDelete(generationSummaries(state), state.current, spec, context.nowSeconds, context.profile);
      return generations.length === 0 ? [] : [{ type: 'GenerationsDeleted', data: { generations, spec: command.spec } }];
    }
    case 'wipe-history': {
      const spec = command.olderThan === undefined ? parseDeletionSpecs(['old']) : parseOlderThan(command.olderThan);
      const generations = generationsToDelete(generationSummaries(state), state.current, spec, context.nowSeconds, context.profile);
      if (generations.length === 0) return [];
      return [{ type: 'HistoryWiped', data: { generations, ...(command.olderThan === undefined ? {} : { olderThan: command.olderThan }) } }];
    }
    default:
      return assertNever(command);
  }
}

function generationFacts(state: ProfileState, decided: ProfileManifest, context: DecideContext): GenerationFacts {
  const manifest = context.manifestVersion === 'nix-env' ? withNixEnvFields(decided) : decided;
  const base = state.current ?? 0;
  const baseManifest = currentGeneration(state)?.manifest ?? emptyManifest;
  const profilePath = context.profilePathOf(manifest, context.manifestVersion);
  const next = nextGeneration(generationSummaries(state), profilePath, state.highestCreated);
  return {
    generation: next.number,
    created: !next.reused,
    base,
    patch: compare(baseManifest, manifest),
    profilePath,
    manifestVersion: context.manifestVersion,
  };
}

function switchEvent(state: ProfileState, to: number, how: 'rollback' | 'switch' | 'undo', context: DecideContext): ProfileEvent {
  const needsEmpty = to === 0 && (state.generations[0] === undefined || state.generations[0].deleted);
  return {
    type: 'GenerationSwitched',
    data: {
      from: state.current,
      to,
      how,
      ...(needsEmpty ? { emptyGeneration: { profilePath: context.profilePathOf(emptyManifest, context.manifestVersion), manifestVersion: context.manifestVersion } } : {}),
    },
  };
}

function sameContent(element: ProfileElement, item: { storePaths: readonly string[]; priority: number; source?: { url: string } }): boolean {
  return sameStrings(element.storePaths, item.storePaths) && element.priority === item.priority && element.source?.url === item.source?.url;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function assertNever(command: never): never {
  throw new Error(`unknown profile command ${JSON.stringify(command)}`);
}
