/**
 * The system commands end to end, in nixos-rebuild's order: resolve the
 * configuration (adding a directory to the store), decide, append the
 * profile change and project it (generation link, `system` link, boot
 * entries), then run the activation, append its outcome and project again
 * (`run/current-system`). Each append is projected before the next step,
 * so a crash or a failed activation leaves disk and ledger agreeing on how
 * far it got. A system profile changed outside genledger is refused first,
 * as any profile is: `adopt -p system` records it. A dry run decides, plans
 * as if the activation succeeded, and runs nothing. On a real root
 * (system-root.ts) the activation gets nixos-rebuild's environment and what
 * it left on the root is read back into its event; a boot since the last
 * command is recorded first (boot-observation.ts); `reboot`, a simulation,
 * is refused there. A configuration Nix builds stays rooted by a temporary
 * result link until the command ends (build-root.ts), by when its
 * generation link roots it (or, for `test`, the activation runs it).
 */
import { refused } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { activationEvent, decideSystem } from '../../domain/system-decide.js';
import type { PlannedActivation, SystemCommand } from '../../domain/system-decide.js';
import type { SystemBuild } from '../../domain/system-build.js';
import { systemEventVersions } from '../../domain/system-events.js';
import type { ActivationAction, ActivationOutcome, SystemEvent } from '../../domain/system-events.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { describeActivationFailure, describeRunning } from '../../domain/system-status.js';
import type { NewEvent } from '../../ledger/event.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { recordCheckpoint } from '../session/catch-up.js';
import { envelope } from '../session/event-envelope.js';
import type { Session } from '../session/session-context.js';
import { refuseSystemDrift } from './system-drift-check.js';
import { withBuildRoot } from './build-root.js';
import type { BuildRoot } from './build-root.js';
import { activationEnvironment, activationProgram, defaultActivationLimits, runActivation } from './system-activation.js';
import { observeBoot } from './boot-observation.js';
import { observeRoot } from './observed-root.js';
import { resolveSystemRoot } from './system-root.js';
import type { SystemRoot } from './system-root.js';
import type { World } from '../../world.js';
import { resolveSystemSource } from './system-source.js';
import type { SystemSource } from './system-source.js';
import { applySystem, planSystem } from './system-projector.js';
import { foldSystem, loadSystemState, systemStream } from './system-stream.js';

export type SystemRequest =
  | { readonly kind: 'switch' | 'boot'; readonly source: SystemSource; readonly configurationLimit?: number }
  | { readonly kind: 'test'; readonly source: SystemSource }
  | { readonly kind: 'rollback'; readonly configurationLimit?: number }
  | { readonly kind: 'switch-generation'; readonly generation: number; readonly configurationLimit?: number }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'delete-generations'; readonly spec: readonly string[] };

export interface SystemOptions {
  readonly dryRun: boolean;
  readonly expectGeneration?: number;
  /** false: record the change without running switch-to-configuration (--no-activate). */
  readonly activate: boolean;
  /** `--root DIR`: the real root to manage (system-root.ts). */
  readonly root?: string;
  /** `--install-bootloader`: NIXOS_INSTALL_BOOTLOADER=1 for the activation. */
  readonly installBootloader?: boolean;
  /** `--specialisation NAME`: run PATH/specialisation/NAME/bin/switch-to-configuration. */
  readonly specialisation?: string;
}

export interface ActivationReport {
  readonly planned: PlannedActivation;
  /** The script that runs (or would run); null when there is none or --no-activate. */
  readonly program: string | null;
  /** null under --dry-run. */
  readonly outcome: ActivationOutcome | null;
}

export interface SystemOutcome {
  /** Under --dry-run only those decided before the activation: SystemActivated records an outcome not known yet. */
  readonly events: readonly NewEvent[];
  readonly ops: readonly SystemOp[];
  readonly before: SystemProfileState;
  readonly after: SystemProfileState;
  readonly activation: ActivationReport | null;
}

/** `system build`: the configuration's store path (added if it is a directory, built by Nix from a flake or NIX_PATH) and what it is; nothing is recorded. */
export async function buildSystem(session: Session, source: SystemSource, dryRun: boolean): Promise<SystemBuild> {
  return withBuildRoot(async (buildRoot) => (await resolveSystemSource(session, source, dryRun, buildRoot)).build);
}

export function runSystemCommand(session: Session, request: SystemRequest, options: SystemOptions): Promise<SystemOutcome> {
  return withBuildRoot((buildRoot) => runHoldingBuild(session, request, options, buildRoot));
}

async function runHoldingBuild(session: Session, request: SystemRequest, options: SystemOptions, buildRoot: BuildRoot): Promise<SystemOutcome> {
  const root = await resolveSystemRoot(session, options.root, !options.dryRun);
  if (request.kind === 'reboot' && root.kind === 'real') throw rebootOnRealRoot(root.dir);
  if (root.kind === 'real' && !options.dryRun) await observeBoot(session, root.dir);
  const before = await loadSystemState(session.ledger);
  refuseSystemDrift(session, root, before);
  checkExpectedGeneration(before, options.expectGeneration);
  const { command, contents } = await resolveRequest(session, request, options.dryRun, buildRoot);
  const decision = decideSystem(before, command);
  const planned = decision.activation;
  const configurationDir = planned === null ? null : (contents ?? session.store.location.physical(planned.systemPath));
  const activatedDir = configurationDir === null ? null : specialisationDir(configurationDir, options.specialisation);
  const program = activatedDir !== null && options.activate ? activationProgram(activatedDir) : null;
  const skipped: ActivationOutcome = { status: 'skipped', reason: options.activate ? 'no-script' : 'no-activate' };
  const profileEvents = decision.events.map((event) => sealed(session, session.world.now(), event));
  if (options.dryRun) {
    const assumed = program === null ? skipped : assumedSuccess;
    const activated = planned === null ? [] : [sealed(session, session.world.now(), activationEvent(planned, assumed))];
    const after = fold(before, [...profileEvents, ...activated]);
    const activation = planned === null ? null : { planned, program, outcome: null };
    return { events: profileEvents, ops: await planSystem(session, after, root), before, after, activation };
  }
  const profileSet = await appendAndProject(session, before, profileEvents);
  if (planned === null) return finish(session, { events: profileEvents, ops: profileSet.ops, before, after: profileSet.after, activation: null });
  const echo = session.options.quiet ? null : session.world.stderr;
  const run =
    program === null
      ? { outcome: skipped, finishedAt: session.world.now() }
      : await runActivation(session.world, program, planned.action, environmentFor(session, root, options), defaultActivationLimits, echo);
  const facts = {
    ...(options.specialisation === undefined ? {} : { specialisation: options.specialisation }),
    ...(root.kind === 'real' ? { observed: observeRoot(root.dir) } : {}),
  };
  const activated = sealed(session, run.finishedAt, activationEvent(planned, run.outcome, decision.activationBuild, facts));
  const activation = await appendAndProject(session, profileSet.after, [activated]);
  return finish(session, {
    events: [...profileEvents, activated],
    ops: [...profileSet.ops, ...activation.ops],
    before,
    after: activation.after,
    activation: { planned, program, outcome: run.outcome },
  });
}

/**
 * `system dry-activate`: the configuration's `switch-to-configuration
 * dry-activate` (what a switch would restart), run as for a switch on this
 * root; like nixos-rebuild, nothing is recorded. null: it has no script.
 */
export async function dryActivateSystem(session: Session, source: SystemSource, options: Pick<SystemOptions, 'root' | 'specialisation' | 'installBootloader'>): Promise<ActivationOutcome | null> {
  const root = await resolveSystemRoot(session, options.root, false);
  return withBuildRoot(async (buildRoot) => {
    const { systemPath, contents } = await resolveSystemSource(session, source, false, buildRoot);
    const program = activationProgram(specialisationDir(contents ?? session.store.location.physical(systemPath), options.specialisation));
    if (program === null) return null;
    const echo = session.options.quiet ? null : session.world.stderr;
    return (await runActivation(session.world, program, 'dry-activate', environmentFor(session, root, options), defaultActivationLimits, echo)).outcome;
  });
}

/** The error a failed activation is reported with, after its outcome was recorded; null when it did not fail. */
export function activationFailure(outcome: SystemOutcome): GenledgerError | null {
  const report = outcome.activation;
  if (report?.outcome?.status !== 'failed') return null;
  const { action, generation, systemPath } = report.planned;
  const failed = `switch-to-configuration ${action} of ${generation === null ? systemPath : `generation ${generation}`} ${describeActivationFailure(report.outcome)}`;
  return refused(
    'GENLEDGER_ACTIVATION_FAILED',
    `${failed}${bootDefaultAnyway(action, generation)}; ${describeRunning(outcome.after.machine)} still runs`,
    "see its output with 'genledger system status' or 'genledger log --type SystemActivated --json'; 'genledger system rollback' goes back",
  );
}

/** Why the boot default moved although the activation failed: nixos-rebuild's order of steps. */
function bootDefaultAnyway(action: ActivationAction, generation: number | null): string {
  switch (action) {
    case 'switch':
      return `; generation ${generation} is the boot default anyway (nixos-rebuild switches the profile and installs the boot loader before it activates)`;
    case 'boot':
      return `; generation ${generation} is the boot default anyway (nixos-rebuild switches the profile before it installs the boot loader)`;
    case 'test':
      return '';
  }
}

/** The command to decide, and where the configuration's files are now (null: read them from its store path). */
async function resolveRequest(session: Session, request: SystemRequest, dryRun: boolean, buildRoot: BuildRoot): Promise<{ command: SystemCommand; contents: string | null }> {
  switch (request.kind) {
    case 'switch':
    case 'boot':
    case 'test': {
      const { systemPath, contents, build } = await resolveSystemSource(session, request.source, dryRun, buildRoot);
      const limit = request.kind !== 'test' && request.configurationLimit !== undefined ? { configurationLimit: request.configurationLimit } : {};
      return { command: { kind: request.kind, systemPath, build, ...limit }, contents };
    }
    case 'rollback':
      return { command: { kind: 'rollback', ...(request.configurationLimit === undefined ? {} : { configurationLimit: request.configurationLimit }) }, contents: null };
    case 'switch-generation': {
      const limit = request.configurationLimit === undefined ? {} : { configurationLimit: request.configurationLimit };
      return { command: { kind: 'switch-generation', generation: request.generation, ...limit }, contents: null };
    }
    case 'reboot':
      return { command: { kind: 'reboot' }, contents: null };
    case 'delete-generations':
      return { command: { kind: 'delete-generations', spec: request.spec, nowSeconds: Math.floor(session.world.now().getTime() / 1000) }, contents: null };
  }
}

/** nixos-rebuild's environment on a real root; the caller's on a simulated one (the tests' activation scripts find their root in it). */
function environmentFor(session: Session, root: SystemRoot, options: Pick<SystemOptions, 'installBootloader'>): World['env'] {
  const install = options.installBootloader === true;
  if (root.kind === 'real') return activationEnvironment(session.world.env, install);
  return install ? { ...session.world.env, NIXOS_INSTALL_BOOTLOADER: '1' } : session.world.env;
}

/** Where the activated configuration's files are: the configuration's, or its specialisation's (refused when it has none, before anything is recorded). */
function specialisationDir(configurationDir: string, specialisation: string | undefined): string {
  if (specialisation === undefined) return configurationDir;
  const dir = `${configurationDir}/specialisation/${specialisation}`;
  if (!/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/.test(specialisation) || activationProgram(dir) === null) {
    throw refused('GENLEDGER_NO_SUCH_SPECIALISATION', `the configuration has no specialisation '${specialisation}' with a bin/switch-to-configuration`, "its specialisations are listed by 'genledger system list-generations --json'");
  }
  return dir;
}

function rebootOnRealRoot(dir: string): GenledgerError {
  return refused(
    'GENLEDGER_REBOOT_ON_REAL_ROOT',
    `system reboot simulates a reboot, and this home manages the real root ${dir}`,
    'reboot the machine itself; genledger observes the boot (genledger system observe-boot)',
  );
}

async function appendAndProject(session: Session, state: SystemProfileState, events: readonly NewEvent[]): Promise<{ after: SystemProfileState; ops: SystemOp[] }> {
  if (events.length === 0) return { after: state, ops: [] };
  const stored = await session.ledger.append(systemStream, state.version, events);
  const after = foldSystem(stored, state);
  const ops = await planSystem(session, after);
  await applySystem(session, ops);
  return { after, ops };
}

async function finish(session: Session, outcome: SystemOutcome): Promise<SystemOutcome> {
  await recordCheckpoint(session);
  return outcome;
}

/** What a dry run plans with when a script would run: its outcome is known only once it has. */
const assumedSuccess: ActivationOutcome = { status: 'succeeded', exitCode: 0, signal: null, timedOut: false, durationMs: 0, outputTail: '', outputBytes: 0 };

function sealed(session: Session, at: Date, event: SystemEvent): NewEvent {
  return envelope(session.world, at, event, systemEventVersions[event.type], session.options.reason);
}

function fold(state: SystemProfileState, events: readonly NewEvent[]): SystemProfileState {
  return foldSystem(
    events.map((event, index) => ({ ...event, stream: systemStream, version: state.version + index + 1, prev: null, hash: '' })),
    state,
  );
}

function checkExpectedGeneration(state: SystemProfileState, expected: number | undefined): void {
  if (expected === undefined || state.machine.bootDefault === expected) return;
  throw refused(
    'GENLEDGER_PROFILE_MOVED',
    `the system profile is at generation ${state.machine.bootDefault ?? 'none'}, not ${expected}`,
    "someone changed it since you looked; check 'genledger system list-generations' and try again",
  );
}
