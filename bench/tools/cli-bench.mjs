#!/usr/bin/env node
// Start-up and the CLI path, as a user meets them (issue 12): each measure in fresh processes, several runs, medians.
//   cold       time from spawn to the first result line on stdout, one trivial block (`return 1 + 1`), in rounds that
//              run each command once in turn (a slow spell of the machine falls on all of them alike):
//              ours (the Release CLI: scriptharness run REPLY --format jsonl, per engine) and the Node anchors
//              (node + quickjs-emscripten: load the module, new context, eval, print JSON; node + isolated-vm: the same)
//   cli-block  the CLI's marginal cost per trivial block: (20,001-block reply − 2,001-block reply) ÷ 18,000, Jint
// Appends JSONL records in the shape of bench.mjs's / the compact runner's (anchor, workload, median_us, ...) to
// --ours and --anchors, which the report turns into rows.
//
//   node bench/tools/cli-bench.mjs --cli PATH/ScriptHarness.Cli --anchors-dir DIR --ours FILE --anchors FILE [--quick]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const quick = args.includes('--quick');
const cli = opt('--cli');
const anchorsDir = opt('--anchors-dir');
const oursOut = opt('--ours');
const anchorsOut = opt('--anchors');
const runs = quick ? 2 : 7;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-cli-bench-'));
const block = '<tool-calls>\nreturn 1 + 1;\n</tool-calls>\n';
const reply = (n) => { const f = path.join(tmp, `reply-${n}.md`); fs.writeFileSync(f, 'Hi\n' + block.repeat(n)); return f; };
const one = reply(1);

// Milliseconds from spawn to the first stdout line that contains `marker`, and to the exit.
function timed(cmd, argv, marker, env = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let first = null;
    let buf = '';
    let err = '';
    child.stdout.on('data', (d) => {
      if (first !== null) return;
      buf += d;
      if (buf.includes(marker)) first = Number(process.hrtime.bigint() - t0) / 1e6;
      if (buf.length > 65536) buf = buf.slice(-1024);
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ first, total: Number(process.hrtime.bigint() - t0) / 1e6, code, err }));
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const loadavg = () => os.loadavg()[0].toFixed(2);

// Every cold start measured in rounds, one run of each command per round (ours per engine and the Node anchors
// alternating), so a slow spell of a shared machine falls on all of them alike instead of on one series; the first round
// warms the page cache and is not counted. A command that fails is dropped from the rounds with its error.
async function interleaved(entries) {
  const firsts = new Map(entries.map((e) => [e.label, []]));
  const failed = new Map();
  for (let i = 0; i < runs + 1; i++) {
    for (const e of entries) {
      if (failed.has(e.label)) continue;
      const r = await timed(e.cmd, e.argv, e.marker, e.env);
      if (r.code !== 0 || r.first === null) { failed.set(e.label, `exit ${r.code}: ${r.err.slice(0, 300)}`); continue; }
      if (i > 0) firsts.get(e.label).push(r.first);
    }
  }
  const results = new Map();
  for (const e of entries) {
    if (failed.has(e.label)) { results.set(e.label, { ok: false, error: failed.get(e.label) }); continue; }
    const xs = firsts.get(e.label);
    process.stderr.write(`[cli-bench] ${e.label}: ${xs.map((x) => x.toFixed(0)).join(' ')} ms\n`);
    results.set(e.label, { ok: true, n: xs.length, median_us: median(xs) * 1000, min_us: Math.min(...xs) * 1000, max_us: Math.max(...xs) * 1000 });
  }
  return results;
}

const write = (file, rec) => file && fs.appendFileSync(file, JSON.stringify({ type: 'result', ...rec, loadavg_end: loadavg() }) + '\n');
const desc = 'cold start: spawn → first result line on stdout, one `return 1 + 1` block (median of fresh processes)';

// Ours, per engine column of the report.
// The Node anchors, cold: a fresh node that loads the sandbox, makes a context, evaluates, prints one JSON line.
const anchorScripts = {
  'qjs-sync': "const q = await import('quickjs-emscripten'); const m = await q.newQuickJSWASMModule(); const c = m.newContext(); const h = c.unwrapResult(c.evalCode('1 + 1')); console.log(JSON.stringify({ status: 'ok', value: c.dump(h) })); h.dispose(); c.dispose();",
  'isolated-vm': "const { default: ivm } = await import('isolated-vm'); const i = new ivm.Isolate({ memoryLimit: 96 }); const c = await i.createContext(); const v = await c.eval('1 + 1'); console.log(JSON.stringify({ status: 'ok', value: v })); i.dispose();",
};
const anchorsHere = anchorsDir && fs.existsSync(path.join(anchorsDir, 'node_modules'));
const installed = (anchor) => fs.existsSync(path.join(anchorsDir, 'node_modules', anchor === 'qjs-sync' ? 'quickjs-emscripten' : 'isolated-vm'));
const oursEngines = cli ? [['ours-jint', ['--engine', 'jint']], ['ours-v8', ['--engine', 'v8', '--isolation', 'in-process']], ['ours-v8-process', ['--engine', 'v8', '--isolation', 'process']]] : [];
const entries = oursEngines.map(([label, extra]) => ({ label, cmd: cli, argv: ['run', one, '--format', 'jsonl', ...extra], marker: '"script_result"' }));
if (anchorsHere) {
  for (const [anchor, code] of Object.entries(anchorScripts)) {
    const file = path.join(anchorsDir, `cold-${anchor}.mjs`);
    fs.writeFileSync(file, code + '\n');
    if (installed(anchor)) entries.push({ label: anchor, cmd: process.execPath, argv: [file], marker: '"status"' });
  }
}
const loadBefore = loadavg();
const cold = await interleaved(entries);

// Ours, per engine column of the report.
if (cli) {
  for (const [anchor] of oursEngines) {
    write(oursOut, { anchor, workload: 'cold', desc, loadavg_start: loadBefore, ...cold.get(anchor) });
  }

  // Marginal cost per block, Jint: whole runs of 2,001 and 20,001 blocks (to the exit), medians, difference ÷ 18,000.
  const small = reply(2001);
  const large = reply(20001);
  const whole = async (f) => {
    const t = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const r = await timed(cli, ['run', f, '--format', 'jsonl'], '"script_result"');
      if (r.code !== 0) return null;
      t.push(r.total);
    }
    return median(t);
  };
  const a = await whole(small);
  const b = await whole(large);
  const ok = a !== null && b !== null;
  if (ok) process.stderr.write(`[cli-bench] cli-block: 2,001 blocks ${a.toFixed(0)} ms, 20,001 blocks ${b.toFixed(0)} ms\n`);
  write(oursOut, {
    anchor: 'ours-jint', workload: 'cli-block', ok,
    desc: 'CLI marginal cost per trivial block: (20,001-block reply − 2,001-block reply) ÷ 18,000, whole runs, --format jsonl to a pipe',
    median_us: ok ? ((b - a) * 1000) / 18000 : undefined, small_ms: a, large_ms: b,
  });
}

if (anchorsHere) {
  for (const anchor of Object.keys(anchorScripts)) {
    const r = cold.get(anchor) ?? { skipped: 'not installed' };
    write(anchorsOut, { anchor, workload: 'cold', desc: 'cold start: node process → module loaded, new context, eval `1 + 1`, one JSON line on stdout', ...r });
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
