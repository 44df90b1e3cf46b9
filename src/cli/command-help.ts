/**
 * The tail of every subcommand's --help: the global options that matter to
 * it (described once, in global-options.ts) and one example. A table, one
 * line per command, so a new command is one line here, not a help text.
 */
import type { Command } from 'commander';

/** The global options a command may use beyond those every command takes. */
type Global = '--json' | '-p' | '-m' | '--quiet' | '--sign-key';

const read: Global[] = ['--json'];
const profileRead: Global[] = ['-p', '--json'];
/** A change is recorded with its reason and signature; --json turns its errors into JSON. */
const write: Global[] = ['-m', '--sign-key', '--quiet', '--json'];
const profileWrite: Global[] = ['-p', ...write];

/** Command path (names below the program) → what it uses, and an example. */
export const commandHelp: Readonly<Record<string, readonly [Global[], string]>> = {
  'store add': [read, 'genledger store add ./result --name hello-2.12'],
  'store info': [read, 'genledger store info --json /nix/store/…-hello-2.12'],
  'store closure': [read, 'genledger store closure /nix/store/…-hello-2.12'],
  'store verify': [read, 'genledger store verify --contents'],
  'profile install': [profileWrite, "genledger profile install -p work -m 'for the demo' ./result"],
  'profile remove': [profileWrite, "genledger profile remove hello --dry-run"],
  'profile upgrade': [profileWrite, 'genledger profile upgrade --all -m "monthly update"'],
  'profile set-priority': [profileWrite, 'genledger profile set-priority hello 4'],
  'profile rollback': [profileWrite, "genledger profile rollback -m 'hello 2.12 breaks the build'"],
  'profile undo': [profileWrite, 'genledger profile undo'],
  'profile restore': [profileWrite, 'genledger profile restore 3'],
  'profile switch-generation': [profileWrite, 'genledger profile switch-generation 5 --expect-generation 7'],
  'profile delete-generations': [profileWrite, 'genledger profile delete-generations --keep 5 --keep-since 14d'],
  'profile wipe-history': [profileWrite, 'genledger profile wipe-history --older-than 30d'],
  'profile list': [profileRead, 'genledger profile list -p work --generation 3'],
  'profile history': [profileRead, 'genledger profile history --json'],
  'profile diff': [profileRead, 'genledger profile diff previous current'],
  'profile list-generations': [profileRead, 'genledger profile list-generations -p work'],
  profiles: [read, 'genledger profiles --json'],
  gc: [['--json', '--quiet', '-m', '--sign-key'], 'genledger gc --dry-run --max-freed 2G'],
  'root add': [write, 'genledger root add ./result'],
  'root remove': [write, 'genledger root remove ./result'],
  'root list': [read, 'genledger root list --json'],
  log: [profileRead, "genledger log -p work --user alice --since 2026-01-01"],
  replay: [['-p', ...write], 'genledger replay --at 42 --into /tmp/then'],
  verify: [read, 'genledger verify --trusted-key ./ops.pub'],
  'import-nix': [write, 'genledger import-nix ~/.nix-profile --as legacy --dry-run'],
  adopt: [profileWrite, "genledger adopt -m 'hand-edited manifest on 3 March'"],
  blame: [profileRead, 'genledger blame hello'],
  report: [read, 'genledger report --html timeline.html --svg timeline.svg'],
  'key generate': [[], 'genledger key generate ops.example.org-1 --dir ~/.config/genledger'],
  export: [['-p', '--sign-key', '--quiet', '--json'], 'genledger export -p work -p tools --to /media/usb/bundle'],
  import: [write, 'genledger import /media/usb/bundle --dry-run'],
  'quarantine add': [write, "genledger quarantine add profile:work -m 'written by a broken build'"],
  'quarantine list': [read, 'genledger quarantine list --json'],
  'system build': [read, 'genledger system build ./result --dry-run'],
  'system switch': [write, "genledger system switch ./result -m 'enable sshd'"],
  'system boot': [write, 'genledger system boot ./result --configuration-limit 10'],
  'system test': [write, 'genledger system test ./result'],
  'system rollback': [write, 'genledger system rollback'],
  'system switch-generation': [write, 'genledger system switch-generation 3'],
  'system delete-generations': [write, 'genledger system delete-generations --keep 5 --keep-since 14d --dry-run'],
  'system dry-activate': [write, 'genledger --store nix system dry-activate --flake /etc/nixos#myhost'],
  'system observe-boot': [write, 'genledger --store nix system observe-boot --json'],
  'system reboot': [write, 'genledger system reboot --dry-run'],
  'system status': [read, 'genledger system status --json'],
  'system list-generations': [read, 'genledger system list-generations'],
  'system diff': [read, 'genledger system diff previous --json'],
  relocate: [write, 'genledger relocate --home /srv/genledger'],
  recover: [write, 'genledger recover --from-backup /backup/genledger/db'],
  'switch-profile': [write, 'genledger switch-profile ~/.local/state/genledger/profiles/work'],
  completion: [[], 'source <(genledger completion bash)'],
  'fleet init': [read, 'genledger fleet init --db postgres://genledger@db.example.org/fleet'],
  'fleet push': [['--quiet', '--json'], 'genledger fleet push --to postgres://genledger@db.example.org/fleet --watch'],
  'fleet pull': [['-p', '--quiet', '--json'], 'genledger fleet pull --host web-1 --from postgres://genledger@db.example.org/fleet --substituter file:///srv/nix-cache'],
  'fleet verify': [read, 'genledger fleet verify --db postgres://genledger@db.example.org/fleet --trusted-key ./ops.pub'],
  'fleet hosts': [read, 'genledger fleet hosts --json'],
  'fleet who-runs': [['--json', '--quiet'], 'genledger fleet who-runs openssl@3.0.13'],
  'fleet log': [read, 'genledger fleet log --package openssl --since 1d'],
  'fleet blame': [read, 'genledger fleet blame web-3 openssl'],
  'fleet drift': [['--json', '--quiet'], 'genledger fleet drift --like web-1:profile'],
};

const everywhere = '--home, --store, --store-dir, --store-root, --lock-timeout, --no-color, --debug';

/** Appends the table's text to every leaf command below `program` that has a line in it. */
export function addCommandHelp(program: Command): void {
  // Commander's own item layout, so these lines wrap and align like the Options above them.
  const helper = program.createHelp();
  const describe = (flag: Global): string => {
    const option = program.options.find((candidate) => candidate.short === flag || candidate.long === flag);
    return helper.formatItem(option?.flags ?? flag, 22, option?.description ?? '', helper);
  };
  for (const [path, command] of leaves(program, [])) {
    const entry = commandHelp[path.join(' ')];
    if (entry === undefined) continue;
    const [globals, example] = entry;
    const lines = globals.length === 0 ? [''] : ['', 'Global options it uses:', ...globals.map(describe)];
    lines.push(helper.boxWrap(`(and, as every command, ${everywhere}: see genledger --help)`, 80), '', 'Example:', `  $ ${example}`);
    command.addHelpText('after', lines.join('\n'));
  }
}

/** Every visible command without subcommands, with its path of names; `help` and hidden commands are not among them. */
export function leaves(command: Command, path: string[]): Array<[string[], Command]> {
  return command
    .createHelp()
    .visibleCommands(command)
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => (child.commands.length === 0 ? [[[...path, child.name()], child] as [string[], Command]] : leaves(child, [...path, child.name()])));
}
