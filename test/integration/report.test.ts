import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
const next = 'examples/catalog-next.json';
const hostile = '<script>alert(1)</script> & "quotes"';

let home: TestHome;

afterEach(() => home?.cleanup());

/** Generations 1-4 by alice and bob (hello 1.0 out, 1.1 in), a rollback to 3, generation 1 deleted. */
export async function reportHistory(target: TestHome): Promise<void> {
  const ok = async (result: Promise<{ code: number; stderr: string }>) => expect((await result).code, (await result).stderr).toBe(0);
  await ok(target.run('profile', 'install', `${catalog}#hello`, '-m', hostile));
  await ok(target.runAs({ user: 'bob', uid: 1001 }, 'profile', 'install', `${catalog}#greet`, '-m', 'bob needs greet'));
  await ok(target.run('profile', 'remove', 'hello'));
  await ok(target.run('profile', 'install', `${next}#hello`));
  await ok(target.run('profile', 'rollback', '-m', 'new hello breaks things'));
  await ok(target.run('profile', 'delete-generations', '1'));
}

describe('genledger report', () => {
  it('--json gives every generation with who made it and why, its markers, size and diff, and the rollbacks and deletions', async () => {
    home = makeTestHome();
    await reportHistory(home);
    const result = await home.run('report', '--json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.home).toBe(join(home.dir, 'home'));
    const lane = report.lanes.find((candidate: { profile: string }) => candidate.profile === 'profile');
    expect(lane).toMatchObject({ kind: 'profile', current: 3 });
    expect(lane.generations.map((g: { generation: number; deleted: boolean; current: boolean }) => [g.generation, g.deleted, g.current])).toEqual([
      [1, true, false],
      [2, false, false],
      [3, false, true],
      [4, false, false],
    ]);
    expect(lane.generations[0].madeBy).toMatchObject({ eventType: 'PackagesInstalled', actor: { user: 'alice' }, reason: hostile });
    expect(lane.generations[1].madeBy).toMatchObject({ actor: { user: 'bob' }, reason: 'bob needs greet' });
    expect(lane.generations[1].closureSize.bytes).toBeGreaterThan(0);
    expect(lane.generations[1].diff.against).toBe(1);
    expect(lane.generations[1].diff.added.map((change: { name: string }) => change.name)).toContain('greet');
    expect(lane.generations[2].diff.removed.map((change: { name: string }) => change.name)).toContain('hello');
    expect(lane.generations[3].diff.added).toContainEqual(expect.objectContaining({ name: 'hello', to: ['1.1'], direct: true }));
    expect(lane.marks.map((mark: { kind: string }) => mark.kind)).toEqual(['rollback', 'deleted']);
    expect(lane.marks[0]).toMatchObject({ from: 4, to: 3, reason: 'new hello breaks things' });
    expect(lane.marks[1]).toMatchObject({ generations: [1] });
  });

  it('--html and --svg write self-contained files with the reason escaped', async () => {
    home = makeTestHome();
    await reportHistory(home);
    const html = join(home.dir, 'report.html');
    const svg = join(home.dir, 'report.svg');
    const result = await home.run('report', '--html', html, '--svg', svg);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`wrote ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.match(/<g class="generation/g)).toHaveLength(4);
    const picture = readFileSync(svg, 'utf8');
    expect(picture.startsWith('<?xml')).toBe(true);
    expect(picture).toContain('<style>');
    expect(picture).toContain('class="generation current"');
  });

  it('needs a target: without --html, --svg or --json it is a usage error', async () => {
    home = makeTestHome();
    const result = await home.run('report');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('report needs --html FILE, --svg FILE or --json');
  });
});
