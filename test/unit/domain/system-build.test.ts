import { describe, expect, it } from 'vitest';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { kernelVersionOf, systemBuildOf } from '../../../src/domain/system-build.js';
import type { SystemEvent } from '../../../src/domain/system-events.js';
import { systemStreamRuleBreak } from '../../../src/domain/system-stream-rules.js';
import type { StoredEvent } from '../../../src/ledger/event.js';
import { compileUpcasters } from '../../../src/ledger/upcasting.js';
import { alice } from '../../contract/ledger-events.js';

const A = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-a';
const KERNEL = '/nix/store/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk-linux-6.1.63/bzImage';
const none = { nixosVersion: null, moduleVersions: [], kernelTarget: null, specialisations: [] };

describe('the kernel version of a toplevel', () => {
  it('is the name under kernel-modules/lib/modules, as nixos-rebuild list-generations reads it', () => {
    expect(kernelVersionOf({ ...none, moduleVersions: ['6.1.63-hardened'], kernelTarget: KERNEL })).toBe('6.1.63-hardened');
  });

  it('is read from the kernel store path name without modules, and null without a kernel', () => {
    expect(kernelVersionOf({ ...none, kernelTarget: KERNEL })).toBe('6.1.63');
    expect(kernelVersionOf({ ...none, kernelTarget: '/boot/vmlinuz' })).toBeNull();
    expect(kernelVersionOf(none)).toBeNull();
  });

  it('sorts specialisations into the build', () => {
    const build = systemBuildOf(A, { ...none, specialisations: ['b', 'a'] }, { flake: null, nixPath: null, configurationRevision: null });
    expect(build).toEqual({ flake: null, nixPath: null, configurationRevision: null, nixosVersion: null, kernelVersion: null, specialisations: ['a', 'b'], storePath: A });
  });
});

describe('system events of version 1', () => {
  const upcast = compileUpcasters(eventUpcasters);
  const stored = (version: number, type: string, data: Record<string, unknown>): StoredEvent => ({
    id: `evt-${version}`,
    stream: 'system',
    version,
    type,
    v: 1,
    at: '2024-06-01T12:00:00Z',
    actor: alice,
    data,
    prev: null,
    hash: '0'.repeat(64),
  });

  it('read as build: null at version 2, and keep the stream rules', () => {
    const v1 = [
      stored(1, 'SystemProfileSet', { action: 'switch', how: 'set', from: null, generation: 1, created: true, systemPath: A, configurationLimit: 10 }),
      stored(2, 'SystemActivated', { action: 'switch', systemPath: A, generation: 1, activation: { status: 'skipped', reason: 'no-activate' } }),
    ];
    const lifted = v1.map(upcast);
    expect(lifted.map((event) => [event.v, (event.data as { build?: unknown }).build])).toEqual([
      [2, null],
      [2, null],
    ]);
    const events = lifted.map((event) => ({ event: { type: event.type, data: event.data } as SystemEvent, meta: { at: event.at, version: event.version } }));
    expect(systemStreamRuleBreak(events, (path) => path.startsWith('/nix/store/'))).toBeNull();
  });
});
