/** A progress bar on stderr when a person is watching; silent otherwise. */
import { SingleBar } from 'cli-progress';
import type { Writable } from 'node:stream';

export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

export function progressBar(
  stream: Writable,
  label: string,
  total: number | undefined,
  enabled: boolean,
): Progress {
  if (!enabled || total === undefined || total <= 0)
    return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(total, 0);
  return {
    update: (value, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}
