/**
 * Shell completion and the manual through the built CLI: the bash script
 * sourced into a real bash completes commands, options, profile names and
 * generation numbers of a real home; `__complete` never creates a home;
 * genledger.1 renders with groff. Needs dist/ (`npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, projectRoot, spawnCli } from '../reliability/cli-runners.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
for (const shell of ['zsh', 'fish']) if (!has(shell)) console.warn(`completion: ${shell} is not installed; its script is checked by the unit tests only`);
if (!has('groff')) console.warn('completion: groff is not installed; skipping the rendering of genledger.1');

const dir = mkdtempSync(join(tmpdir(), 'genledger-completion-'));
const home = join(dir, 'home');
const env = { ...process.env, PATH: `${join(projectRoot, 'bin')}:${process.env.PATH}`, GENLEDGER_HOME: home };

/** What bash's programmable completion offers for the words typed, the last one being completed. */
function complete(...words: string[]): string[] {
  const script = `source <(genledger completion bash)
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_genledger; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { env, cwd: dir, encoding: 'utf8' }).split('\n').filter((line) => line !== '');
}

beforeAll(async () => {
  for (const [profile, attr] of [['profile', 'hello'], ['profile', 'greet'], ['per-user/alice/work', 'hello']] as const) {
    const result = await spawnCli(home, ['-p', profile, 'profile', 'install', `${catalogPath}#${attr}`]);
    expect(result.status, result.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bash completion', () => {
  it('completes commands and subcommands from the definitions', () => {
    expect(complete('genledger', 'pro')).toEqual(['profile', 'profiles']);
    expect(complete('genledger', 'profile', 'switch-g')).toEqual(['switch-generation']);
    expect(complete('genledger', '--json', 'profile', 'list-gen')).toEqual(['list-generations']);
    expect(complete('genledger', 'system', 'switch')).toEqual(['switch', 'switch-generation']);
    expect(complete('genledger', 'system', 'd')).toEqual(['delete-generations', 'dry-activate', 'diff']);
  });

  it("completes a command's own options and the global ones", () => {
    expect(complete('genledger', 'profile', 'delete-generations', '--keep')).toEqual(['--keep', '--keep-since']);
    expect(complete('genledger', 'system', 'delete-generations', '--keep')).toEqual(['--keep', '--keep-since']);
    expect(complete('genledger', 'log', '--pro')).toEqual(['--profile']);
  });

  it('completes profile names and generation numbers from the home', () => {
    expect(complete('genledger', '-p', '')).toEqual(['per-user/alice/work', 'profile']);
    expect(complete('genledger', 'profile', 'switch-generation', '')).toEqual(['1', '2']);
    expect(complete('genledger', 'profile', 'rollback', '--to', '')).toEqual(['1', '2']);
    expect(complete('genledger', '-p', 'per-user/alice/work', 'profile', 'diff', '')).toEqual(['1']);
    expect(complete('genledger', '--home', join(dir, 'elsewhere'), 'profile', 'diff', '')).toEqual([]);
  });

  it('does not complete a value where a count is asked', () => {
    expect(complete('genledger', 'profile', 'delete-generations', '--keep', '')).toEqual([]);
  });
});

describe('genledger __complete', () => {
  it('prints nothing for a home that does not exist, and does not create it', async () => {
    const missing = join(dir, 'missing');
    for (const what of ['profiles', 'generations']) {
      const result = await spawnCli(missing, ['__complete', what]);
      expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('is not listed in help', async () => {
    const result = await spawnCli(home, ['--help']);
    expect(result.stdout).toContain('completion');
    expect(result.stdout).not.toContain('__complete');
  });

  it('refuses an unknown shell as a usage error', async () => {
    const result = await spawnCli(home, ['completion', 'tcsh']);
    expect(result.status).toBe(2);
  });
});

describe('the man page', () => {
  const page = join(projectRoot, 'dist', 'genledger.1');

  it('is built into dist/ and listed in package.json', () => {
    expect(existsSync(page)).toBe(true);
    expect(execFileSync(process.execPath, ['-p', "require('./package.json').man"], { cwd: projectRoot, encoding: 'utf8' }).trim()).toBe('./dist/genledger.1');
  });

  it.skipIf(!has('groff'))('renders with groff without warnings', () => {
    const rendered = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-P', '-cbou', page], { encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    const text = rendered.stdout.replace(/\u2010/g, '-');
    for (const heading of ['NAME', 'SYNOPSIS', 'GLOBAL OPTIONS', 'COMMANDS', 'EXIT STATUS', 'FILES', 'ENVIRONMENT']) expect(text).toMatch(new RegExp(`^${heading}$`, 'm'));
    expect(text).toMatch(/profile install installable\.\.\./);
    expect(text).toMatch(/--lock-timeout <seconds>/);
    expect(text).toMatch(/GENLEDGER_HOME/);
  });
});
