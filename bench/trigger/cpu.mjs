// CPU accounting for bench/trigger/run.mjs, from /proc (Linux): ticks per process and for the
// whole host between two snapshots, and the local stack's processes (Kafka, Redis, PostgreSQL).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const env = process.env;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
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
export function hostTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + (cpu[4] ?? 0);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * The stack's processes (all on this host): from infra's pid files in $ORQ_STATE_DIR when they
 * name a live process, else found by name and command line. PostgreSQL = the postmaster and its
 * children (backends, WAL writer, checkpointer...).
 */
export function stackGroups(redisPort) {
  const stateDir = env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';
  const pidFrom = (file, comm) => {
    try {
      const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
      return readStat(pid)?.comm === comm ? pid : null;
    } catch {
      return null;
    }
  };
  const kafka = pidFrom(join(stateDir, 'run/kafka.pid'), 'java');
  const redis = pidFrom(join(stateDir, 'run/redis.pid'), 'redis-server');
  const postmaster = pidFrom(join(stateDir, 'postgres/data/postmaster.pid'), 'postgres');
  const groups = { kafka: kafka ? [kafka] : [], redis: redis ? [redis] : [], postgres: postmaster ? [postmaster] : [] };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat) continue;
    if (!kafka && stat.comm === 'java' && cmdline(pid).includes('kafka.Kafka')) groups.kafka.push(pid);
    else if (!redis && stat.comm === 'redis-server' && cmdline(pid).includes(`:${redisPort}`)) groups.redis.push(pid);
    else if (stat.comm === 'postgres' && (postmaster ? stat.ppid === postmaster : true)) groups.postgres.push(pid);
  }
  return groups;
}

/**
 * Ticks per process of each group. The stack's groups are found again at every snapshot, so a
 * PostgreSQL backend started during a phase is counted (from zero); one that exits is lost.
 */
export function snapshot(fixed, redisPort) {
  const at = process.hrtime.bigint();
  const groups = { ...fixed, ...stackGroups(redisPort) };
  const ticks = {};
  for (const [name, pids] of Object.entries(groups)) {
    ticks[name] = new Map();
    for (const pid of pids) {
      const stat = readStat(pid);
      if (stat) ticks[name].set(pid, stat.ticks);
    }
  }
  return { at, ticks, host: hostTicks() };
}

/** CPU% (100 = one core) per group between two snapshots, plus the host's busy % and the rest. */
export function cpuBetween(a, b) {
  const seconds = Number(b.at - a.at) / 1e9;
  const out = {};
  let listed = 0;
  for (const name of Object.keys(b.ticks)) {
    let ticks = 0;
    for (const [pid, after] of b.ticks[name]) ticks += Math.max(0, after - (a.ticks[name]?.get(pid) ?? 0));
    out[name] = (ticks / CLK_TCK / seconds) * 100;
    listed += out[name];
  }
  const hostBusy = ((b.host.busy - a.host.busy) / (b.host.total - a.host.total)) * os.cpus().length * 100;
  out.host = hostBusy;
  out.other = Math.max(0, hostBusy - listed);
  return out;
}
