/**
 * `system diff A B`: the closure changes between two system generations,
 * nvd-style, with the differ `profile diff` uses. A generation's toplevel
 * is its one direct path, so "direct" means the toplevel itself changed and
 * everything else in the closure is transitive.
 */
import { generationPath, systemGenerationSummaries } from '../../domain/system-profile.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { refused } from '../../errors.js';
import { diffClosures } from '../../projection/closure-diff.js';
import type { ClosureDiff } from '../../projection/closure-diff.js';
import { closureSide } from '../profile/generation-closure.js';
import type { Session } from '../session/session-context.js';
import { systemStream } from './system-stream.js';

export interface SystemDiffView {
  readonly profile: typeof systemStream;
  readonly from: number;
  readonly to: number;
  readonly fromPath: string;
  readonly toPath: string;
  readonly closure: ClosureDiff;
}

/** A generation argument: `current` is the boot default, `previous` the newest generation below it; a number must be live. */
export type SystemGenerationArgument = number | 'current' | 'previous';

export async function diffSystemGenerations(session: Session, state: SystemProfileState, a: SystemGenerationArgument, b: SystemGenerationArgument): Promise<SystemDiffView> {
  const [from, to] = [generationNumber(state, a), generationNumber(state, b)];
  const [fromPath, toPath] = [livePath(state, from), livePath(state, to)];
  const closure = diffClosures(await closureSide(session.store, [fromPath]), await closureSide(session.store, [toPath]));
  return { profile: systemStream, from, to, fromPath, toPath, closure };
}

function generationNumber(state: SystemProfileState, argument: SystemGenerationArgument): number {
  const { bootDefault } = state.machine;
  if (argument === 'current') {
    if (bootDefault === null) throw refused('GENLEDGER_NO_SUCH_GENERATION', 'no system generation is set to boot', "make one with 'genledger system switch PATH'");
    return bootDefault;
  }
  if (argument !== 'previous') return argument;
  const earlier = systemGenerationSummaries(state).filter((generation) => bootDefault !== null && generation.number < bootDefault);
  const previous = earlier.at(-1);
  if (previous === undefined) throw refused('GENLEDGER_NO_SUCH_GENERATION', 'there is no system generation before the boot default', "see 'genledger system list-generations'");
  return previous.number;
}

function livePath(state: SystemProfileState, generation: number): string {
  const path = generationPath(state, generation);
  if (path === null) {
    const why = state.deletedGenerations.includes(generation) ? 'was deleted' : 'does not exist';
    throw refused('GENLEDGER_NO_SUCH_GENERATION', `system generation ${generation} ${why}`, "see 'genledger system list-generations'");
  }
  return path;
}
