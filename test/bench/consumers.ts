/**
 * What the ingest benchmarks share: producing the bench events once to a topic, and timing one
 * consumer process (the ingest worker, the baseline, `radar ingest`) with its CPU and peak RSS
 * read from /proc, each on a fresh data dir, checking what it stored.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { newKafka, uniqueName } from '../support/kafka.js';
import { queryDataDir } from '../support/processes.js';
import { builtEntry, REPO_ROOT } from '../support/repo.js';

export interface Run {
  who: string;
  seconds: number;
  eventsPerSec: number;
  cpuSecondsPerMillion: number;
  peakRssMb: number;
  stored: number;
  /** CPU seconds per million events by thread name (threads alive at the end; `exited`: the rest). */
  cpuByThread?: Record<string, number>;
}

export async function produceAll(topic: string, values: Buffer[], partitions: number): Promise<number> {
  const producer = newKafka('radar-bench-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = performance.now();
  const batch = 2000;
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < values.length; i += batch) {
    const messages = values
      .slice(i, i + batch)
      .map((value, j) => ({ value, partition: (i / batch + j) % partitions }));
    inflight.push(producer.send({ topic, acks: 1, messages }));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  await producer.disconnect();
  return (performance.now() - t0) / 1000;
}

export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

/** user + system CPU seconds of a live process (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of a process by thread name (the main thread, the decode threads, the engine's
 * pools, V8's helpers): where its CPU goes, read from /proc before it exits. Threads that ended
 * earlier are in the process total only: reported as `exited`.
 */
export function cpuByThread(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let live = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const sec = (Number(f[11]) + Number(f[12])) / 100;
      out[name] = (out[name] ?? 0) + sec;
      live += sec;
    } catch {}
  }
  out.exited = Math.max(0, cpuSeconds(pid) - live);
  return out;
}

const perMillion = (cpu: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(cpu)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, Number(((v * 1e6) / n).toFixed(1))]),
  );

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnNode(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

const CONSUMERS = {
  worker: { args: builtEntry('services/ingest-worker/src/main.ts'), table: 'audit_events' },
  // The baseline is a bench script, run by tsx against the built packages.
  baseline: {
    args: ['--import', 'tsx', '--conditions=radar-dist', 'test/bench/baseline-consumer.ts'],
    table: 'baseline_events',
  },
} as const;

/**
 * Starts one consumer group member (a fresh group and data dir) and times it from process start
 * until every offset of the topic is committed.
 */
export async function consume(
  who: keyof typeof CONSUMERS,
  topic: string,
  n: number,
  admin: Admin,
  env: Record<string, string> = {},
): Promise<Run> {
  const groupId = uniqueName(`bench_${who}`);
  const dataDir = mkdtempSync(join(tmpdir(), `radar-bench-${who}-`));
  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir>: V8 CPU profiles of every thread of the consumer, for `where the time goes`.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_WORKER_NODE_FLAGS: node/V8 flags for the worker only (A/B of GC settings).
  const flags =
    who === 'worker' ? (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
  const proc = spawnNode([...prof, ...flags, ...CONSUMERS[who].args], {
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: groupId,
    RADAR_DATA_DIR: dataDir,
    ...env,
  });
  const pid = proc.child.pid!;
  let peak = 0;
  let cpu = 0;
  // Poll sparingly (the poller shares the cores), finely near the end (the end time is the figure).
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${who} exited early:\n${proc.output().slice(-3000)}`);
    peak = Math.max(peak, peakRssMb(pid));
    cpu = cpuSeconds(pid);
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    let committed = 0;
    for (const p of entry?.partitions ?? []) committed += Math.max(0, Number(p.offset));
    if (committed >= n) break;
    if (Date.now() > deadline) throw new Error(`timed out: ${committed} of ${n} committed\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, committed >= 0.9 * n ? 100 : 1000));
  }
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, peakRssMb(pid));
  cpu = cpuSeconds(pid);
  const threads = perMillion(cpuByThread(pid), n);
  proc.child.kill('SIGTERM');
  await proc.exited;
  return {
    ...(await finish(who, dataDir, CONSUMERS[who].table, n, seconds, cpu)),
    peakRssMb: peak,
    cpuByThread: threads,
  };
}

/** Runs `radar ingest --file` (built) to completion on a fresh data dir, sampling CPU and RSS. */
export async function ingestFile(file: string, n: number, args: string[] = []): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-file-'));
  const t0 = performance.now();
  // BENCH_FILE_CLI: another build's dist/main.js (A/B of two commits in one run).
  const other = process.env.BENCH_FILE_CLI;
  const cli = other ? ['--conditions=radar-dist', other] : builtEntry('services/cli/src/main.ts');
  // BENCH_FILE_NODE_FLAGS: node/V8 flags for radar ingest only (A/B of memory settings).
  const flags = (process.env.BENCH_FILE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawnNode([...flags, ...cli, 'ingest', '--file', file, '--data-dir', dataDir, ...args], {});
  const pid = proc.child.pid!;
  let peak = 0;
  let cpu = 0;
  let threads: Record<string, number> = {};
  // The last sample before exit: /proc of a zombie still holds its counters until it is reaped.
  const sample = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMb(pid));
      threads = cpuByThread(pid);
      cpu = cpuSeconds(pid);
    } catch {}
  }, 200);
  const code = await proc.exited;
  clearInterval(sample);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`radar ingest exited ${code}:\n${proc.output().slice(-3000)}`);
  return {
    ...(await finish('file', dataDir, 'audit_events', n, seconds, cpu)),
    peakRssMb: peak,
    cpuByThread: perMillion(threads, n),
  };
}

async function finish(who: string, dataDir: string, table: string, n: number, seconds: number, cpu: number) {
  const [row] = await queryDataDir<{ n: number }>(dataDir, `SELECT count() AS n FROM ${table}`);
  rmSync(dataDir, { recursive: true, force: true });
  return {
    who,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSec: Math.round(n / seconds),
    cpuSecondsPerMillion: Number(((cpu * 1e6) / n).toFixed(1)),
    stored: Number(row?.n ?? -1),
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Round r runs `list` rotated by r: with two, as given when r is even, reversed when odd. */
export function orderOf<T>(round: number, list: readonly T[]): T[] {
  return list.map((_, i) => list[(i + round) % list.length]!);
}
