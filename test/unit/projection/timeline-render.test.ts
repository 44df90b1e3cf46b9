import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '../../../src/projection/markup-escape.js';
import { renderTimelineHtml } from '../../../src/projection/timeline-html.js';
import type { TimelineGeneration, TimelineReport } from '../../../src/projection/timeline-model.js';
import { renderTimelineSvg } from '../../../src/projection/timeline-svg.js';
import type { TimelineText } from '../../../src/projection/timeline-svg.js';

const text: TimelineText = {
  bytes: (bytes) => `${bytes} B`,
  actor: (actor) => `${actor.user}@${actor.host}`,
  diffLines: (diff) => [...diff.added.map((change) => `added ${change.name} ${change.to.join(', ')}`), `size ${diff.size.from} -> ${diff.size.to}`],
};

const hostileReason = '</title><script>alert("r")</script>\u0007\u001b[31m';
const hostileProfile = '"><img src=x onerror=alert(1)>';
const evil = { user: '<b>mallory</b>', uid: 666, host: "h'&" };
const size = (from: number, to: number) => ({ from, to, delta: to - from, exact: true });

function generation(number: number, extra: Partial<TimelineGeneration> = {}): TimelineGeneration {
  return {
    generation: number,
    createdAt: `2026-01-0${number}T10:00:00.000Z`,
    deleted: false,
    current: false,
    booted: false,
    running: false,
    madeBy: { eventType: 'PackagesInstalled', at: `2026-01-0${number}T10:00:00.000Z`, actor: evil, command: ['genledger', 'profile', 'install', '<x>'], reason: hostileReason },
    closureSize: { bytes: number * 1000, exact: true },
    diff:
      number === 1
        ? null
        : { against: number - 1, added: [{ name: '<pkg>', from: [], to: ['1.0&'], direct: true }], removed: [], upgraded: [], downgraded: [], changed: [], size: size((number - 1) * 1000, number * 1000) },
    ...extra,
  };
}

const report: TimelineReport = {
  home: '/home/<me>',
  lanes: [
    {
      profile: hostileProfile,
      kind: 'profile',
      current: 2,
      generations: [generation(1, { deleted: true }), generation(2, { current: true }), generation(3)],
      marks: [
        { kind: 'rollback', at: '2026-01-04T10:00:00.000Z', from: 3, to: 2, generations: [], actor: evil, reason: '<why>' },
        { kind: 'deleted', at: '2026-01-05T10:00:00.000Z', from: null, to: null, generations: [1], actor: evil, reason: null },
      ],
    },
    { profile: 'system', kind: 'system', current: 1, generations: [generation(1, { current: true, booted: true, running: true })], marks: [] },
  ],
};

/** Every `<` in the output opens one of the renderer's own tags, never text from the model. */
function tagNames(markup: string): Set<string> {
  return new Set([...markup.matchAll(/<\/?([a-zA-Z!?][\w-]*)/g)].map((match) => (match[1] as string).toLowerCase()));
}

describe('escapeMarkup', () => {
  it('replaces markup characters by entities and control characters by visible escapes', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkup('bell\u0007 esc\u001b nul\u0000 sep\u2028')).toBe('bell\\x07 esc\\x1b nul\\x00 sep\\u2028');
    expect(escapeMarkup('line\nnext\ttab')).toBe('line\nnext\ttab');
  });
});

describe('renderTimelineSvg', () => {
  const svg = renderTimelineSvg(report, text, { standalone: true });

  it('escapes hostile reasons, names and actors, and has no control characters', () => {
    expect(tagNames(svg)).toEqual(new Set(['?xml', 'svg', 'style', 'title', 'g', 'line', 'text', 'polyline', 'circle', 'path', 'rect']));
    expect(svg).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;r&quot;)&lt;/script&gt;\\x07\\x1b[31m');
    expect(svg).toContain('data-profile="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(svg).toContain('&lt;b&gt;mallory&lt;/b&gt;@h&#39;&amp;');
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('draws a marker per generation with its flags, the current/booted/running markers, the marks and the size line', () => {
    expect(svg.match(/<g class="generation[ "]/g)).toHaveLength(4);
    expect(svg).toContain('<g class="generation deleted" id="gen-0-1"');
    expect(svg).toContain('<g class="generation current" id="gen-0-2"');
    expect(svg).toContain('<g class="generation current booted running" id="gen-1-1"');
    expect(svg.match(/class="marker-current"/g)).toHaveLength(2);
    expect(svg.match(/class="marker-booted"/g)).toHaveLength(1);
    expect(svg.match(/class="marker-running"/g)).toHaveLength(1);
    expect(svg).toContain('<g class="mark mark-rollback">');
    expect(svg).toContain('rollback 3\u21922');
    expect(svg).toContain('<g class="mark mark-deleted">');
    expect(svg.match(/<polyline class="closure-size"/g)).toHaveLength(2);
  });

  it('puts the closure diff in the hover text of each generation', () => {
    expect(svg).toMatch(/id="gen-0-3"[^]*?<title>[^<]*changes from generation 2:\n {2}added &lt;pkg&gt; 1\.0&amp;/);
  });

  it('is only a fragment when embedded', () => {
    const fragment = renderTimelineSvg(report, text, { standalone: false });
    expect(fragment.startsWith('<svg ')).toBe(true);
    expect(fragment).not.toContain('<style>');
  });

  it('draws an empty home as an empty chart', () => {
    expect(renderTimelineSvg({ home: '/h', lanes: [] }, text, { standalone: true })).toContain('no profiles yet');
  });
});

describe('renderTimelineHtml', () => {
  const html = renderTimelineHtml(report, text);

  it('is one self-contained page: inline style and script, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]*src=|<link\b|<img\b|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('escapes everything taken from the model', () => {
    expect(tagNames(html)).toEqual(
      new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'p', 'code', 'span', 'svg', 'g', 'line', 'text', 'polyline', 'circle', 'path', 'rect', 'section', 'h2', 'h3', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'details', 'summary', 'pre', 'script']),
    );
    expect(html).toContain('<span class="reason">&lt;/title&gt;&lt;script&gt;alert(&quot;r&quot;)&lt;/script&gt;\\x07\\x1b[31m</span>');
    expect(html).toContain('<code>genledger profile install &lt;x&gt;</code>');
    expect(html).toContain('<title>genledger report: /home/&lt;me&gt;</title>');
  });

  it('has a row per generation, newest first, with its tags and a diff that opens on click', () => {
    const rows = [...html.matchAll(/<tr id="row-(\d+)-(\d+)"/g)].map((match) => `${match[1]}-${match[2]}`);
    expect(rows).toEqual(['0-3', '0-2', '0-1', '1-1']);
    expect(html).toMatch(/<tr id="row-0-1" class="deleted"><td>1 <span class="tag tag-deleted">deleted<\/span>/);
    expect(html).toMatch(/<tr id="row-1-1"><td>1 <span class="tag tag-current">current<\/span><span class="tag tag-booted">booted<\/span><span class="tag tag-running">running<\/span>/);
    expect(html.match(/<details><summary>from generation/g)).toHaveLength(2);
    expect(html).toContain('rollback from generation 3 to 2 by &lt;b&gt;mallory&lt;/b&gt;@h&#39;&amp; (reason: &lt;why&gt;)');
    expect(html).toContain('deleted generations 1 by');
  });
});
