/**
 * The rules a profile stream keeps when the decider wrote it, checked on a
 * stream read from outside before anything folds or projects it: each
 * event's data has its schema (profile-event-schema.ts); generation numbers
 * are made as the decider makes them (a new one is one above the highest
 * ever created, a reused one is the highest live generation, same path);
 * a switch, a deletion or a current generation names a generation that
 * exists; and, as the final check, the stream folds through the domain's
 * own evolve without throwing, into manifests projection can render.
 *
 * Generations taken from disk (import-nix, adopt) keep Nix's numbers, with
 * its gaps, so they are only required to be new (import) or valid (adopt).
 */
import { fold } from './profile-evolve.js';
import type { MetaEvent } from './profile-evolve.js';
import { manifestProblem, profileEventDataProblem } from './profile-event-schema.js';
import type { IsStorePath } from './profile-event-schema.js';
import type { GenerationFacts, ObservedGeneration, ProfileEvent } from './profile-events.js';
import { initialProfileState } from './profile-state.js';

export interface StreamRuleBreak {
  /** The stream version of the event that breaks a rule. */
  readonly version: number;
  readonly rule: string;
}

interface Known {
  readonly profilePath: string;
  deleted: boolean;
}

/** The first event of `events` (the whole stream, version 1 first) that breaks a rule, or null. */
export function profileStreamRuleBreak(events: readonly MetaEvent[], isStorePath: IsStorePath): StreamRuleBreak | null {
  const tracker = new Tracker();
  for (const { event, meta } of events) {
    const problem = profileEventDataProblem(event.type, event.data, isStorePath) ?? tracker.apply(event) ?? tracker.currentProblem();
    if (problem !== null) return { version: meta.version, rule: problem };
  }
  return foldBreak(events, isStorePath);
}

/** Numbers and references, followed event by event the way evolve follows them. */
class Tracker {
  private readonly generations = new Map<number, Known>();
  private highestCreated = 0;
  private current: number | null = null;

  /** The profile link must always point at a live generation: no event may delete the current one. */
  currentProblem(): string | null {
    return this.current === null || this.live(this.current) ? null : `it leaves the profile at generation ${this.current}, which is deleted`;
  }

  apply(event: ProfileEvent): string | null {
    switch (event.type) {
      case 'ProfileCreated':
      case 'EventQuarantined':
        return null;
      case 'PackagesInstalled':
      case 'PackagesRemoved':
      case 'PackagesUpgraded':
      case 'PriorityChanged':
      case 'GenerationRestored':
        return this.decided(event.data);
      case 'GenerationSwitched': {
        const { to, emptyGeneration } = event.data;
        if (emptyGeneration !== undefined) {
          if (this.live(0)) return 'it brings the empty generation 0 into existence, but generation 0 exists';
          this.put(0, emptyGeneration.profilePath);
        }
        if (!this.live(to)) return `it switches to generation ${to}, which does not exist`;
        this.current = to;
        return null;
      }
      case 'GenerationsDeleted':
      case 'HistoryWiped':
        return this.deleted(event.data.generations);
      case 'GenerationImported': {
        if (event.data.generation <= this.highestCreated) return `it imports generation ${event.data.generation}, but generation ${this.highestCreated} was created before it`;
        this.current = event.data.generation;
        return this.observed(event.data);
      }
      case 'ProfileImported':
        return this.settled(event.data.current);
      case 'ExternalChangeObserved': {
        for (const generation of event.data.generations) {
          const problem = this.observed(generation);
          if (problem !== null) return problem;
        }
        return this.deleted(event.data.deleted) ?? (event.data.current === undefined ? null : this.settled(event.data.current.to));
      }
      default:
        return assertNever(event);
    }
  }

  private decided(facts: GenerationFacts): string | null {
    if (facts.created) {
      if (facts.generation !== this.highestCreated + 1) return `it creates generation ${facts.generation}, but the next generation is ${this.highestCreated + 1}`;
      if (facts.base !== 0 && !this.generations.has(facts.base)) return `its patch applies to generation ${facts.base}, which does not exist`;
      this.put(facts.generation, facts.profilePath);
    } else {
      const known = this.generations.get(facts.generation);
      if (known === undefined || known.deleted || known.profilePath !== facts.profilePath) {
        return `it reuses generation ${facts.generation}, which does not exist with profile path ${facts.profilePath}`;
      }
    }
    this.current = facts.generation;
    return null;
  }

  private observed(facts: ObservedGeneration): string | null {
    if (facts.base !== 0 && !this.generations.has(facts.base)) return `generation ${facts.generation} is based on generation ${facts.base}, which does not exist`;
    this.put(facts.generation, facts.profilePath);
    return null;
  }

  private deleted(numbers: readonly number[]): string | null {
    for (const number of numbers) {
      const known = this.generations.get(number);
      if (known === undefined) return `it deletes generation ${number}, which does not exist`;
      known.deleted = true;
    }
    return null;
  }

  private settled(current: number | null): string | null {
    if (current !== null && !this.live(current)) return `it makes generation ${current} current, which does not exist`;
    this.current = current;
    return null;
  }

  private put(number: number, profilePath: string): void {
    this.generations.set(number, { profilePath, deleted: false });
    this.highestCreated = Math.max(this.highestCreated, number);
  }

  private live(number: number): boolean {
    return this.generations.get(number)?.deleted === false;
  }
}

/**
 * The final check: the domain's own fold, on a copy, must accept the stream
 * and leave manifests projection can render. Only on a failure is the
 * stream folded again event by event, to name the one that broke it.
 */
function foldBreak(events: readonly MetaEvent[], isStorePath: IsStorePath): StreamRuleBreak | null {
  if (foldProblem(events, isStorePath) === null) return null;
  for (let end = 1; end <= events.length; end++) {
    const problem = foldProblem(events.slice(0, end), isStorePath);
    if (problem !== null) return { version: events[end - 1]?.meta.version ?? end, rule: problem };
  }
  return null;
}

function foldProblem(events: readonly MetaEvent[], isStorePath: IsStorePath): string | null {
  let state;
  try {
    state = fold(initialProfileState, events);
  } catch {
    return 'the domain cannot fold it (its patch does not apply to its base generation)';
  }
  for (const generation of Object.values(state.generations)) {
    const problem = manifestProblem(generation.manifest, isStorePath);
    if (problem !== null) return `its patch makes a manifest of generation ${generation.number} that ${problem}`;
  }
  return null;
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
