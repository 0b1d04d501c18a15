#!/usr/bin/env node
// Thin shim: all behaviour lives in dist/cli/main.js so it stays testable as run(argv, io).
import { main } from '../dist/cli/main.js';
main();
