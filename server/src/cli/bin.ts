/**
 * Entry point of the `sift` command: runs the CLI and lets the process end by itself, so that queued stdout
 * data is never lost (no `process.exit` while a pipe still has data).
 */
import {main} from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sift: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
