import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostileReason as hostile, reportHome } from './report-fixture.js';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;

afterEach(() => home?.cleanup());

describe('genledger report', () => {
  it('--json gives every generation with who made it and why, its markers, size and diff, and the rollbacks and deletions', async () => {
    home = await reportHome();
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
    const system = report.lanes.find((candidate: { kind: string }) => candidate.kind === 'system');
    expect(system.generations.map((g: { generation: number; current: boolean; booted: boolean; running: boolean }) => [g.generation, g.current, g.booted, g.running])).toEqual([
      [1, false, true, true],
      [2, true, false, false],
    ]);
    expect(system.generations[0].madeBy).toMatchObject({ eventType: 'SystemProfileSet', reason: 'first system' });
    expect(system.generations[0].closureSize.bytes).toBeGreaterThan(0);
    expect(system.generations[1].diff.against).toBe(1);
  });

  it('--html and --svg write self-contained files with the reason escaped', async () => {
    home = await reportHome();
    const html = join(home.dir, 'report.html');
    const svg = join(home.dir, 'report.svg');
    const result = await home.run('report', '--html', html, '--svg', svg);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`wrote ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.match(/<g class="generation/g)).toHaveLength(6);
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
