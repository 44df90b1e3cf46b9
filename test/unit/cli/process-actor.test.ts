import { describe, expect, it } from 'vitest';
import { decideActor } from '../../../src/cli/process-actor.js';
import type { ProcessFacts } from '../../../src/cli/process-actor.js';

const passwd = ['root:x:0:0:root:/root:/bin/bash', 'alice:x:1000:1000::/home/alice:/bin/sh', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin', ''].join('\n');
const initialNamespace = '         0          0 4294967295\n';

function facts(overrides: Partial<ProcessFacts>): ProcessFacts {
  return { realUid: 1000, uidMap: initialNamespace, passwd, ancestors: [], sudoUser: undefined, host: 'box', ...overrides };
}

describe('the actor, from the kernel', () => {
  it('is the real uid and its name in the initial user namespace', () => {
    expect(decideActor(facts({}))).toEqual({ user: 'alice', uid: 1000, host: 'box' });
  });

  it('maps a uid inside a user namespace back to the uid outside and says so', () => {
    expect(decideActor(facts({ realUid: 0, uidMap: '         0       1000          1\n' }))).toEqual({ user: 'alice', uid: 1000, host: 'box', userNamespace: true });
    expect(decideActor(facts({ realUid: 5, uidMap: '0 100000 65536\n' }))).toEqual({ user: 'uid-100005', uid: 100005, host: 'box', userNamespace: true });
  });

  it('takes an unmapped uid in a namespace as the overflow uid, never as root', () => {
    expect(decideActor(facts({ realUid: 0, uidMap: '1 1000 1\n' }))).toEqual({ user: 'nobody', uid: 65534, host: 'box', userNamespace: true });
  });

  it('trusts SUDO_USER only for real root under a sudo ancestor, naming an existing user', () => {
    const underSudo = { realUid: 0, sudoUser: 'alice', ancestors: ['npm exec', 'sudo'] };
    expect(decideActor(facts(underSudo))).toEqual({ user: 'root', uid: 0, sudoUser: 'alice', host: 'box' });
    expect(decideActor(facts({ ...underSudo, realUid: 1000 }))).toEqual({ user: 'alice', uid: 1000, host: 'box' });
    expect(decideActor(facts({ ...underSudo, ancestors: ['bash'] }))).toEqual({ user: 'root', uid: 0, host: 'box' });
    expect(decideActor(facts({ ...underSudo, sudoUser: 'mallory' }))).toEqual({ user: 'root', uid: 0, host: 'box' });
    expect(decideActor(facts({ ...underSudo, uidMap: '0 0 1\n' }))).toEqual({ user: 'root', uid: 0, host: 'box', userNamespace: true });
  });

  it('names a uid missing from passwd by its number', () => {
    expect(decideActor(facts({ realUid: 4242 }))).toEqual({ user: 'uid-4242', uid: 4242, host: 'box' });
    expect(decideActor(facts({ realUid: 4242, passwd: null, uidMap: null }))).toEqual({ user: 'uid-4242', uid: 4242, host: 'box' });
  });
});
