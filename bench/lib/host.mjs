// What every benchmark shares (bench:e2e, bench:trigger, bench:push): CPU use per process from
// /proc (Linux) turned into machine CPU-µs per accepted event or delivered notification, the
// median and range of repeated runs, the machine's description, and writing a section of
// docs/benchmarks.md. One copy, so the three benches count CPU the same way.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const STATE_DIR = process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';

/** comm, parent pid and utime + stime (clock ticks) of a live process, or null. */
export function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z') return null;
    return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Busy and total ticks of all CPUs together (/proc/stat; busy = all but idle and iowait). */
export function hostTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3] - (cpu[4] ?? 0), total };
}

function allPids() {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** The pid in an infra pid file when it names a live process with that comm (first line of the file). */
function pidFromFile(file, comm) {
  try {
    const pid = Number(readFileSync(join(STATE_DIR, file), 'utf8').split('\n')[0].trim());
    const stat = readStat(pid);
    return stat && (!comm || stat.comm === comm) ? pid : null;
  } catch {
    return null;
  }
}

function byName(comm, needle) {
  return allPids().filter((pid) => readStat(pid)?.comm === comm && (!needle || cmdline(pid).includes(needle)));
}

/**
 * The local stack's processes (infra/stack.sh): from the pid files under $ORQ_STATE_DIR
 * (run/kafka.pid, run/redis.pid, run/centrifugo.pid, postgres/data/postmaster.pid), else found by
 * name. Each is a function, read again at every snapshot: PostgreSQL is the postmaster and all its
 * children (backends come and go). `stack apps` are the shared stack's own API, worker, gateway
 * and admin (run/<app>.child.pid): not on any bench's path, listed so that other people's use of
 * the machine shows up by name.
 */
export const STACK_PROCESSES = {
  kafka: () => [pidFromFile('run/kafka.pid', 'java') ?? byName('java', 'kafka.Kafka')].flat(),
  postgres: () => {
    const postmaster = pidFromFile('postgres/data/postmaster.pid', 'postgres');
    if (!postmaster) return byName('postgres');
    return [postmaster, ...allPids().filter((pid) => readStat(pid)?.ppid === postmaster)];
  },
  redis: () => [pidFromFile('run/redis.pid', 'redis-server') ?? byName('redis-server')].flat(),
  centrifugo: () => [pidFromFile('run/centrifugo.pid') ?? byName('centrifugo')].flat(),
  'stack apps': () => ['api', 'worker', 'gateway', 'admin'].map((app) => pidFromFile(`run/${app}.child.pid`)).filter(Boolean),
};

/**
 * CPU use between snapshots for named processes: each a pid, a list of pids, or a function
 * returning the pids (read again at each snapshot, so a process started after the first snapshot
 * counts from zero). Counted per pid, so a process that exits between two snapshots is missed,
 * never counted negative. `between` gives CPU-seconds per name, the machine's busy CPU-seconds
 * (everything on the host) and `other` = machine − the listed processes.
 */
export function cpuMeter(processes) {
  const pidsOf = (p) => (typeof p === 'function' ? p() : Array.isArray(p) ? p : [p]).filter((pid) => pid !== undefined && pid !== null);
  const snapshot = () => {
    const ticks = {};
    const seen = new Set();
    for (const [name, p] of Object.entries(processes)) {
      ticks[name] = new Map();
      for (const pid of pidsOf(p)) {
        // A pid listed under two names (e.g. the bench process) is counted once, under the first.
        if (seen.has(pid)) continue;
        seen.add(pid);
        const stat = readStat(pid);
        if (stat) ticks[name].set(pid, stat.ticks);
      }
    }
    return { at: process.hrtime.bigint(), ticks, host: hostTicks(), load: os.loadavg() };
  };
  const between = (a, b = snapshot()) => {
    const seconds = Number(b.at - a.at) / 1e9;
    const cpuSeconds = {};
    let listed = 0;
    for (const name of Object.keys(b.ticks)) {
      let ticks = 0;
      for (const [pid, after] of b.ticks[name]) ticks += Math.max(0, after - (a.ticks[name]?.get(pid) ?? 0));
      cpuSeconds[name] = ticks / CLK_TCK;
      listed += cpuSeconds[name];
    }
    const hostShare = (b.host.busy - a.host.busy) / Math.max(1, b.host.total - a.host.total);
    const machine = hostShare * os.cpus().length * seconds;
    return { seconds, cpuSeconds, machine, other: Math.max(0, machine - listed), load: a.load };
  };
  return { snapshot, between };
}

/** CPU-µs per unit (accepted event, delivered notification) of each process, the machine and the rest. */
export function perUnit(cpu, units) {
  const us = (s) => (units > 0 ? (s * 1e6) / units : NaN);
  return {
    ...Object.fromEntries(Object.entries(cpu.cpuSeconds).map(([k, v]) => [k, us(v)])),
    other: us(cpu.other),
    machine: us(cpu.machine),
  };
}

/** % of one core of each process over the interval (200% = both cores of a 2-core machine). */
export function percentOfCore(cpu) {
  const pct = (s) => (100 * s) / cpu.seconds;
  return {
    ...Object.fromEntries(Object.entries(cpu.cpuSeconds).map(([k, v]) => [k, pct(v)])),
    other: pct(cpu.other),
    machine: pct(cpu.machine),
  };
}

/** Median (middle value; mean of the two middle ones for an even count), min and max of the finite values. */
export function stats(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], n: v.length };
}

const num = (x, digits) =>
  Number.isFinite(x) ? x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

/** "median (min–max)" of several runs; one run prints as itself. */
export function fmtRange(values, digits = 0, unit = '') {
  const s = stats(values);
  if (s.n === 0) return '–';
  if (s.n === 1 || s.min === s.max) return `${num(s.median, digits)}${unit}`;
  return `${num(s.median, digits)}${unit} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

export function fmtNumber(x, digits = 0) {
  return num(x, digits);
}

export function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/** Where the benchmark ran, and on which code. */
export function machineInfo(root) {
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: root }).toString().trim();
    } catch {
      return '';
    }
  };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--', 'apps', 'packages']) !== '',
    nproc: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown CPU',
    memGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    describe() {
      return `${this.nproc} cores (${this.model}), ${this.memGb} GiB, Linux ${this.kernel}, Node ${this.node}`;
    },
  };
}

/** Replaces (or appends) the `## <title>` section of docs/benchmarks.md with `markdown`. */
export function writeSection(root, title, markdown) {
  const file = join(root, 'docs/benchmarks.md');
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(`## ${title}\n`);
  let updated;
  if (start === -1) updated = `${doc.trimEnd()}\n\n${markdown}`;
  else {
    const end = doc.indexOf('\n## ', start + 1);
    updated = `${doc.slice(0, start)}${markdown.trimEnd()}\n${end === -1 ? '' : `\n${doc.slice(end + 1)}`}`;
  }
  writeFileSync(file, `${updated.trimEnd()}\n`);
  return file;
}

/** Process names in the order the reports list them (those a bench did not measure are left out). */
export const PROCESS_ORDER = [
  'api',
  'worker',
  'gateway',
  'floor',
  'kafka',
  'postgres',
  'redis',
  'centrifugo',
  'load generator',
  'stack apps',
  'other',
  'machine',
];
export function orderedNames(names) {
  const known = PROCESS_ORDER.filter((n) => names.includes(n));
  return [...known, ...names.filter((n) => !PROCESS_ORDER.includes(n))];
}
