#!/usr/bin/env node
// The `sift` command: the bundled CLI (built by `npm run build`).
require('../dist/cli.js');
