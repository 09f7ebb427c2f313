#!/usr/bin/env node
// The `revops` command. The CLI is written in TypeScript and loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
