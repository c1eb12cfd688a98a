/**
 * Writes the reliability figures of the run (see figures.ts) once every test has finished.
 */
import * as path from 'node:path';
import {FIGURES, writeFigures} from './figures.js';
import {ROOT} from '../helpers.js';

after(function () {
  const cases = Object.values(FIGURES.cases).reduce((a, b) => a + b, 0);
  const faults = Object.values(FIGURES.faults).reduce((a, b) => a + b, 0);
  if (cases === 0 && faults === 0) return; // a run that did not include the reliability tests (e.g. --grep golden)
  const file = writeFigures();
  console.log(`\n  reliability: ${cases} property cases, ${faults} faults injected, ${FIGURES.bytesChecked} bytes checked, ${FIGURES.bytesLost} bytes lost (${path.relative(ROOT, file)})`);
});
