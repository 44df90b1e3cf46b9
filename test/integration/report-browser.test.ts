/**
 * The report in a real browser: Debian's Chromium, headless, opens the page
 * written for the fixture home, takes a screenshot and dumps the DOM after
 * the page's script ran. Skipped, with the reason printed, when
 * /usr/bin/chromium is not installed (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHome } from './report-fixture.js';
import type { TestHome } from './test-world.js';

const chromium = '/usr/bin/chromium';
const skipReason = existsSync(chromium) ? null : `${chromium} is not installed (apt-get install chromium)`;
if (skipReason !== null) console.warn(`skipping the report browser test: ${skipReason}`);

let home: TestHome;
let profileDir: string;
let page: string;

function runChromium(...args: string[]): string {
  const result = spawnSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profileDir}`, '--window-size=1200,800', ...args],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe.skipIf(skipReason !== null)('the report in headless Chromium', () => {
  beforeAll(async () => {
    home = await reportHome();
    profileDir = mkdtempSync(join(tmpdir(), 'genledger-chromium-'));
    page = join(home.dir, 'report.html');
    expect((await home.run('report', '--html', page, '--svg', join(home.dir, 'report.svg'))).code).toBe(0);
  }, 120_000);

  afterAll(() => {
    home?.cleanup();
    if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
  });

  it('renders a non-trivial screenshot', () => {
    const png = join(home.dir, 'report.png');
    runChromium(`--screenshot=${png}`, pathToFileURL(page).href);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1200);
    expect(bytes.readUInt32BE(20)).toBe(800);
    // A blank 1200x800 page compresses to a few kilobytes; the chart and tables do not.
    expect(statSync(png).size).toBeGreaterThan(20_000);
  }, 120_000);

  it('has, after its script ran, a marker per generation, the current/booted/running markers and the reason as text', () => {
    const dom = runChromium('--dump-dom', pathToFileURL(page).href);
    expect(dom).toContain('data-script="ready"');
    const markers = [...dom.matchAll(/<g class="generation([^"]*)" id="gen-(\d+)-(\d+)"/g)].map((match) => `${match[2]}-${match[3]}${match[1]}`);
    expect(markers).toEqual(['0-1 deleted', '0-2', '0-3 current', '0-4', '1-1 booted running', '1-2 current']);
    expect(dom.match(/class="marker-current"/g)).toHaveLength(2);
    expect(dom).toContain('class="marker-booted"');
    expect(dom).toContain('class="marker-running"');
    expect(dom).toContain('<span class="reason">&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes"</span>');
    expect(dom).toContain('<g class="mark mark-rollback">');
    expect(dom).toContain('<polyline class="closure-size"');
  }, 120_000);

  it("opens a generation's diff when the page is opened at its chart id, as a click does", () => {
    const dom = runChromium('--dump-dom', `${pathToFileURL(page).href}#gen-0-4`);
    expect(dom).toMatch(/<tr id="row-0-4" class="selected">.*<details open="">.*added +direct +hello 1\.1/s);
    expect(dom.match(/class="selected"/g)).toHaveLength(1);
  }, 120_000);

  it('parses the standalone SVG as XML: no parser error, every generation there', () => {
    const dom = runChromium('--dump-dom', pathToFileURL(join(home.dir, 'report.svg')).href);
    expect(dom).not.toContain('parsererror');
    expect(dom.match(/<g class="generation/g)).toHaveLength(6);
  }, 120_000);
});
