/**
 * `genledger report --html FILE` / `--svg FILE`: the home's timeline as a
 * self-contained page or picture; `--json` prints the data model they draw
 * (projection/timeline-model.ts). A read command: it writes only the files
 * it is asked for.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import type { TimelineText } from '../../projection/timeline-svg.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';
import { actorText } from '../render/actor-text.js';
import { byteSize } from '../render/byte-size.js';
import { closureDiffLines } from '../render/closure-changes.js';

const wording: TimelineText = { bytes: byteSize, actor: actorText, diffLines: closureDiffLines };

export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description("the home's timeline: every profile's generations over time, who made each and why, markers, sizes and diffs")
    .option('--html <file>', 'write a self-contained HTML page (no network needed to open it)')
    .option('--svg <file>', 'write the timeline chart as a standalone SVG picture')
    .action(
      action<{ html?: string; svg?: string }, []>(context, async ({ world, options }) => {
        if (options.html === undefined && options.svg === undefined && !options.json) {
          throw usageError('GENLEDGER_REPORT_TARGET', 'report needs --html FILE, --svg FILE or --json', 'e.g. genledger report --html timeline.html');
        }
        const { withSession } = await import('../../app/session/session.js');
        const { gatherTimeline } = await import('../../app/provenance/timeline.js');
        const report = await withSession(world, options, gatherTimeline, { access: 'read' });
        const written: string[] = [];
        if (options.html !== undefined) {
          const { renderTimelineHtml } = await import('../../projection/timeline-html.js');
          written.push(writeReport(resolve(world.cwd, options.html), renderTimelineHtml(report, wording)));
        }
        if (options.svg !== undefined) {
          const { renderTimelineSvg } = await import('../../projection/timeline-svg.js');
          written.push(writeReport(resolve(world.cwd, options.svg), renderTimelineSvg(report, wording, { standalone: true })));
        }
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else if (!options.quiet) for (const file of written) world.stderr.write(`genledger: wrote ${file}\n`);
      }),
    );
}

function writeReport(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}
