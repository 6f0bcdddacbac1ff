#!/usr/bin/env node
// Summarises a speedscope profile (BenchmarkDotNet's EventPipeProfiler writes one per benchmark: run the suite with
// `-- bdn --filter '*Name*' --profiler EP`): the frames with the most self time and the most inclusive time, over
// every thread, optionally only inside frames whose name contains --within TEXT.
//
//   node bench/tools/speedscope-top.mjs FILE.speedscope.json [--top 25] [--within ScriptHarness] [--match TEXT]
import fs from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const top = Number(opt('--top', 25));
const within = opt('--within', null);
const match = opt('--match', null);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const frames = doc.shared.frames.map((f) => f.name);
const self = new Map();
const names = new Map(); // synthetic frames: "method [native]"
const frameName = (f) => (f < frames.length ? frames[f] : [...names.entries()].find(([, v]) => v === f)[0]);
const incl = new Map();
let total = 0;
for (const p of doc.profiles) {
  const stack = [];
  let last = p.startValue;
  const inside = () => !within || stack.some((f) => frames[f].includes(within));
  for (const e of p.events) {
    const dt = e.at - last;
    if (stack.length && dt > 0 && inside()) {
      total += dt;
      // EventPipe's speedscope export ends each sample's stack in a pseudo-frame (CPU_TIME, UNMANAGED_CODE_TIME):
      // the time belongs to the method under it, in managed or in native code.
      let leaf = stack[stack.length - 1];
      if (/^[A-Z_]+_TIME$/.test(frames[leaf]) && stack.length > 1) {
        const key = `${frames[stack[stack.length - 2]]}${frames[leaf] === 'CPU_TIME' ? '' : ' [native]'}`;
        if (!names.has(key)) names.set(key, names.size + frames.length);
        leaf = names.get(key);
      }
      self.set(leaf, (self.get(leaf) || 0) + dt);
      for (const f of new Set(stack)) incl.set(f, (incl.get(f) || 0) + dt);
    }
    last = e.at;
    if (e.type === 'O') stack.push(e.frame);
    else stack.pop();
  }
}
const show = (title, m) => {
  console.log(`\n${title} (of ${total.toFixed(0)} ms sampled${within ? ` inside ${within}` : ''})`);
  [...m.entries()]
    .filter(([f]) => !match || frameName(f).includes(match))
    .sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([f, t]) => console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${frameName(f).slice(0, 160)}`));
};
show('self time', self);
show('inclusive time', incl);
