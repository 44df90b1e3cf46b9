/**
 * `genledger profile list|history|diff|list-generations` and `genledger
 * profiles`: read commands, each with a documented --json shape.
 */
import type { Command } from 'commander';
import type { ProfileView } from '../../app/profile/profile-queries.js';
import type { Session } from '../../app/session/session-context.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { emptyManifest } from '../../domain/profile-manifest.js';
import { refused } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext, Invocation } from '../invocation.js';
import { useColor } from '../global-options.js';
import { localTimeOf } from '../render/local-time.js';
import { wholeNumber } from './whole-number.js';
import { actorText } from '../render/actor-text.js';
import { reasonText } from '../render/reason-text.js';
import { longListLine, shortListLines } from '../render/profile-list-lines.js';

/** Runs `read` on the `-p` profile's stream in a session. */
async function withProfile<T>({ world, options }: Invocation<object>, read: (session: Session, stream: string) => Promise<T>): Promise<T> {
  const { withSession } = await import('../../app/session/session.js');
  const { sessionProfile } = await import('../../app/profile/session-profile.js');
  return withSession(world, options, (session) => read(session, sessionProfile(session, options.profile).stream), { access: 'read' });
}

/** The profile's state (at `--at`, or now), without the provenance only `history` shows. */
async function withProfileState<T>(invocation: Invocation<{ at?: string }>, run: (state: ProfileState, stream: string, session: Session) => Promise<T> | T): Promise<T> {
  const { profileStateAt, parseLogPoint } = await import('../../app/profile/profile-queries.js');
  const { at } = invocation.options;
  return withProfile(invocation, async (session, stream) => run(await profileStateAt(session, stream, at === undefined ? undefined : parseLogPoint(at)), stream, session));
}

async function withProfileView<T>(invocation: Invocation<object>, run: (view: ProfileView, stream: string) => Promise<T> | T): Promise<T> {
  const { viewProfile } = await import('../../app/profile/profile-queries.js');
  return withProfile(invocation, async (session, stream) => run(await viewProfile(session.ledger, stream), stream));
}

/** A generation by number; 0 is the empty generation even before a rollback brings it to disk. */
function generationOf(state: ProfileState, stream: string, number: number | null) {
  if (number === null) return null;
  const generation = state.generations[number];
  if (generation === undefined && number === 0) return { manifest: emptyManifest };
  if (generation === undefined) throw refused('GENLEDGER_NO_SUCH_GENERATION', `profile '${stream}' has no generation ${number}`);
  return generation;
}

/** A generation argument of `diff`: a number, `current`, or `previous` (the newest generation before the current one). */
function generationArgument(state: ProfileState, text: string, what: string): number | null {
  if (text === 'current') return state.current;
  if (text !== 'previous') return wholeNumber(text, what);
  const earlier = Object.values(state.generations).map((g) => g.number).filter((n) => state.current !== null && n < state.current);
  if (earlier.length === 0) throw refused('GENLEDGER_NO_SUCH_GENERATION', 'there is no generation before the current one', 'list them with: genledger profile history');
  return Math.max(...earlier);
}

export function registerProfileReadCommands(profile: Command, program: Command, context: CliContext): void {
  profile
    .command('list')
    .description('the packages of the current (or given) generation')
    .option('--generation <n>', 'a generation, deleted ones included')
    .option('--at <seq|time>', 'as the profile stood at that point of the log')
    .option('--long', 'on a terminal too, the full line: references and store paths')
    .action(
      action<{ generation?: string; at?: string; long?: boolean }, []>(context, (invocation) =>
        withProfileState(invocation, (state, stream) => {
          const { world, options } = invocation;
          const number = options.generation === undefined ? state.current : wholeNumber(options.generation, '--generation');
          const elements = generationOf(state, stream, number)?.manifest.elements ?? [];
          if (options.json) {
            world.stdout.write(`${JSON.stringify({ profile: stream, generation: number, elements })}\n`);
            return;
          }
          const lines = world.stdout.isTTY && options.long !== true ? shortListLines(elements, world.stdout.columns ?? 80) : elements.map(longListLine);
          world.stdout.write(lines.map((line) => `${line}\n`).join(''));
        }),
      ),
    );

  profile
    .command('history')
    .description('every generation with its changes, who made it, when and why')
    .action(
      action<object, []>(context, (invocation) =>
        withProfileView(invocation, async (view, stream) => {
          const { world, options } = invocation;
          const { formatHistoryHeader } = await import('../../domain/list-generations-format.js');
          const { historyDiffLines } = await import('../../projection/profile-diff.js');
          const generations = Object.values(view.state.generations).sort((a, b) => a.number - b.number);
          const entries = generations.map((generation, index) => {
            const previous = index === 0 ? null : (generations[index - 1] ?? null);
            return { generation, previous, provenance: view.createdBy.get(generation.number), changes: historyDiffLines(previous?.manifest.elements ?? [], generation.manifest.elements) };
          });
          if (options.json) {
            const shape = entries.map(({ generation, previous, provenance, changes }) => ({
              generation: generation.number,
              previous: previous?.number ?? null,
              date: generation.createdAt,
              current: generation.number === view.state.current,
              deleted: generation.deleted,
              profilePath: generation.profilePath,
              changes: changes.map((line) => line.trim()),
              ...(provenance === undefined ? {} : { event: provenance.eventType, actor: provenance.actor, command: provenance.command ?? null, reason: provenance.reason ?? null }),
            }));
            world.stdout.write(`${JSON.stringify({ profile: stream, history: shape })}\n`);
            return;
          }
          const color = useColor(options, world);
          const blocks = entries.map(({ generation, previous, provenance, changes }) => {
            const header = formatHistoryHeader(generation.number, previous?.number ?? null, generation.number === view.state.current, Math.floor(Date.parse(generation.createdAt) / 1000), color);
            const by = provenance === undefined ? '' : `  by ${actorText(provenance.actor)} at ${provenance.at}`;
            const who = provenance === undefined ? [] : [`${by}${provenance.reason ? `: ${reasonText(provenance.reason, world.stdout, by.length + 2)}` : ''}`];
            return [header + (generation.deleted ? ' (deleted)' : ''), ...changes, ...who].join('\n');
          });
          world.stdout.write(blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`);
        }),
      ),
    );

  profile
    .command('diff')
    .description('element and closure changes (packages added, removed, upgraded, downgraded; sizes) between two generations, and the RFC 6902 patch')
    .argument('<a>', 'a generation number, current or previous')
    .argument('[b]', 'the same; current when left out')
    .action(
      action<object, [string, string | undefined]>(context, (invocation, a, b) =>
        withProfile(invocation, async (session, stream) => {
          const { world, options } = invocation;
          const { loadProfileState } = await import('../../app/profile/profile-stream.js');
          const { generationClosure } = await import('../../app/profile/generation-closure.js');
          const { diffClosures } = await import('../../projection/closure-diff.js');
          const { diffManifests } = await import('../../projection/profile-diff.js');
          const { closureDiffLines } = await import('../render/closure-changes.js');
          const { compare } = (await import('fast-json-patch')).default;
          const state = await loadProfileState(session, stream);
          const fromNumber = generationArgument(state, a, 'generation A');
          const toNumber = generationArgument(state, b ?? 'current', 'generation B');
          const fromGeneration = generationOf(state, stream, fromNumber);
          const toGeneration = generationOf(state, stream, toNumber);
          const from = fromGeneration?.manifest ?? emptyManifest;
          const to = toGeneration?.manifest ?? emptyManifest;
          const diff = diffManifests(from.elements, to.elements);
          const closure = diffClosures(await generationClosure(session.store, fromGeneration), await generationClosure(session.store, toGeneration));
          if (options.json) {
            world.stdout.write(`${JSON.stringify({ from: fromNumber, to: toNumber, ...diff, patch: compare(from, to), closure })}\n`);
            return;
          }
          for (const element of diff.added) world.stdout.write(`+ ${element.name} ${element.storePaths.join(' ')}\n`);
          for (const element of diff.removed) world.stdout.write(`- ${element.name} ${element.storePaths.join(' ')}\n`);
          for (const change of diff.changed) world.stdout.write(`~ ${change.name} ${change.from.storePaths.join(' ')} -> ${change.to.storePaths.join(' ')}\n`);
          world.stdout.write(`${closureDiffLines(closure).join('\n')}\n`);
        }),
      ),
    );

  profile
    .command('list-generations')
    .description('the generations on disk, as nix-env --list-generations')
    .option('--size', 'add each generation\'s closure size and the bytes only it keeps alive (what deleting it would free)')
    .action(
      action<{ size?: boolean; at?: string }, []>(context, (invocation) =>
        withProfileState(invocation, async (state, stream, session) => {
          const { world, options } = invocation;
          const { generationSummaries } = await import('../../domain/generation-summaries.js');
          const { formatListGenerations } = await import('../../domain/list-generations-format.js');
          const { generationSizes } = await import('../../app/gc/generation-sizes.js');
          const summaries = generationSummaries(state);
          const sizes = options.size === true ? await generationSizes(session, options.profile) : null;
          const sizeOf = (number: number) => sizes?.get(number) ?? { closureSize: null, exclusiveSize: null };
          if (options.json) {
            const generations = summaries.map((g) => ({
              generation: g.number,
              date: new Date(g.createdAt * 1000).toISOString(),
              current: g.number === state.current,
              profilePath: g.storePath,
              ...(sizes === null ? {} : sizeOf(g.number)),
            }));
            world.stdout.write(`${JSON.stringify({ profile: stream, generations })}\n`);
            return;
          }
          const text = formatListGenerations(summaries, state.current, localTimeOf);
          if (sizes === null) {
            world.stdout.write(text);
            return;
          }
          const { sizeText } = await import('../render/size-text.js');
          const lines = text.split('\n').slice(0, -1);
          const width = Math.max(0, ...lines.map((line) => line.length));
          const numbers = [...summaries].sort((a, b) => a.number - b.number).map((g) => g.number);
          const sized = lines.map((line, index) => {
            const size = sizes.get(numbers[index] ?? -1);
            return size === undefined ? line : `${line.padEnd(width)}   closure ${sizeText(size.closureSize)}   only this generation ${sizeText(size.exclusiveSize)}`;
          });
          world.stdout.write(sized.map((line) => `${line}\n`).join(''));
        }),
      ),
    );

  program
    .command('profiles')
    .description('every profile with its current generation and size')
    .action(
      action<object, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { listProfiles } = await import('../../app/profile/profile-summaries.js');
        const profiles = await withSession(world, options, listProfiles, { access: 'read' });
        if (options.json) {
          world.stdout.write(`${JSON.stringify({ profiles })}\n`);
          return;
        }
        for (const p of profiles) world.stdout.write(`${p.profile}\tgeneration ${p.generation ?? '-'}\t${p.elements} packages\t${p.closureSize} bytes\n`);
      }),
    );
}
