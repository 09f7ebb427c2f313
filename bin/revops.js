#!/usr/bin/env node
// The `revops` command. The CLI is written in TypeScript and loaded through tsx.
import { register } from 'tsx/esm/api';

register();
// `revops … | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
