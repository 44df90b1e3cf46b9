/**
 * `adopt -p system`: the system profile's adoption, reached through the
 * same command as any profile's (its drift is reported with that fix), but
 * recorded in the system stream (app/system/system-adoption.ts).
 */
import type { World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';
import { reportAdoption } from '../render/adoption-report.js';

export async function adoptSystemCommand(world: World, options: GlobalOptions & { dryRun?: boolean }): Promise<void> {
  const { withSession } = await import('../../app/session/session.js');
  const { adoptSystemChange } = await import('../../app/system/system-adoption.js');
  const { describeSystemOp } = await import('../../projection/system-plan.js');
  // Catching up first would re-link what was changed outside genledger before adopt could read it.
  const outcome = await withSession(world, options, (session) => adoptSystemChange(session, { dryRun: options.dryRun === true }), { access: 'write', project: false });
  reportAdoption(world, options, { profile: 'system', ...outcome, generation: outcome.after.machine.bootDefault, described: outcome.ops.map(describeSystemOp) });
}
