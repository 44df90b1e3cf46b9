#!/usr/bin/env node
// Summarises V8 CPU profiles (`node --cpu-prof`, or `npm run bench --
// --cpu-prof DIR`): where a command's time went, as self time per module
// (Node internals, each dependency, genledger's bundle, garbage
// collection) and per function, and as inclusive time of genledger's own
// functions (callees included), so a missed target can be explained.
//
// Usage: node bench/cpu-profile-summary.mjs FILE.cpuprofile... [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
if (positionals.length === 0) {
  process.stderr.write('usage: node bench/cpu-profile-summary.mjs FILE.cpuprofile... [--top N]\n');
  process.exit(2);
}

const isGenledger = (url) => url.includes('/dist/') && !url.includes('/node_modules/');

/** Which module a profile node's code belongs to. */
function moduleOf({ callFrame: { url, functionName } }) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (isGenledger(url)) return 'genledger (dist)';
  return url.replace(/^file:\/\//, '');
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byModule = new Map();
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byModule.set(moduleOf(node), (byModule.get(moduleOf(node)) ?? 0) + us);
  }
  const inclusive = inclusiveByFunction(profile, nodes, selfUs);
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(values.top))
      .map(([name, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled over ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms\nby module:\n${top(byModule)}\nby function (self time):\n${top(byFunction)}\ngenledger functions (inclusive time):\n${top(inclusive)}\n\n`);
}

/** Inclusive time per genledger function, counting each stack once even when the function recurses. */
function inclusiveByFunction(profile, nodes, selfUs) {
  const totals = new Map();
  const walk = (id, onStack) => {
    const node = nodes.get(id);
    let us = selfUs.get(id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const counted = isGenledger(url) && !onStack.has(name);
    const below = counted ? new Set([...onStack, name]) : onStack;
    for (const child of node.children ?? []) us += walk(child, below);
    if (counted) totals.set(name, (totals.get(name) ?? 0) + us);
    return us;
  };
  walk(profile.nodes[0].id, new Set());
  return totals;
}
