#!/usr/bin/env node
'use strict';
let cli;
try {
  cli = require('../dist/dev/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    console.error('apim-dr: the compiled CLI is missing; run `npm install` (it builds) or `npm run build` first.');
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`apim-dr: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
