/**
 * The machine a benchmark ran on, recorded beside every figure: CPU model, cores, memory, Node and
 * the load average when the bench started (the machine is shared, so the load is part of the story).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-, 5- and 15-minute load averages at the start of the bench. */
  readonly loadAverageAtStart: readonly [number, number, number];
  readonly shared: true;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: [round(one), round(five), round(fifteen)],
    shared: true,
  };
}

/** One line for table headers and BENCHMARKS.md. */
export function machineLine(machine: MachineInfo): string {
  const load = machine.loadAverageAtStart.map((n) => n.toFixed(2)).join(' / ');
  return (
    `${machine.cpu} · ${machine.cores} cores · ${machine.memoryGiB} GiB · Node ${machine.node} · ` +
    `${machine.os} · load ${load} at start (shared machine)`
  );
}

/** The code measured: the commit, plus the files under src/ and test/ that differ from it. */
export function codeVersion(): { readonly commit: string; readonly uncommitted: readonly string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    // Porcelain lines are `XY path`: the two status columns may start with a space, so no trim.
    const changed = git('status', '--porcelain', '--', 'src', 'test', 'package.json')
      .split('\n')
      .filter((line) => line.length > 3);
    return {
      commit: git('rev-parse', '--short', 'HEAD').trim(),
      uncommitted: changed.map((line) => line.slice(3)),
    };
  } catch {
    return { commit: 'unknown (not a git checkout)', uncommitted: [] };
  }
}
