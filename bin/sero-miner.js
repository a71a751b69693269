#!/usr/bin/env node
import { relayNativeOutput } from '../dist/src/cli/native-output-relay.js';

// on a terminal, `mine` and `devices` run in a child that native libraries cannot print over
const relayed = relayNativeOutput(process.argv);
if (relayed) process.exitCode = await relayed;
else await (await import('../dist/src/cli/main.js')).main(process.argv);
