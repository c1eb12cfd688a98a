/**
 * Fault tests of the CLI's file handling: every file Sift must not touch (empty, binary, invalid UTF-8, unreadable,
 * vanished while reading, a symbolic link, not a regular file, too large) gets a clear message and is left exactly
 * as it was; `--in-place` refuses a file that changed since it was analysed; a failed write (disk full, I/O error)
 * leaves the original and no temporary file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {execFileSync, spawnSync} from 'node:child_process';
import {OWN_SAMPLES, SHARED_SAMPLES, textFiles} from '../helpers.js';
import {runCliWith, snapshot} from './cli-helpers.js';
import {countBytes, countFaults} from './figures.js';

const story = fs.readFileSync(textFiles(SHARED_SAMPLES).find((f) => path.basename(f).startsWith('002'))!);

describe('reliability: files the CLI must not touch', function () {
  this.timeout(60000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-rel-files-'));
  });
  afterEach(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('skips empty, binary, invalid UTF-8, symlinked, special and oversized files with a clear message; rewrites only the good one', () => {
    const dir = path.join(tmp, 'in');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'binary.txt'), Buffer.concat([Buffer.from('Top Stories\n'), Buffer.from([0, 1, 2, 0])]));
    fs.writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from('Top Stories\ncaf\xe9 au lait\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'truncated-utf8.txt'), Buffer.concat([Buffer.from('Top Stories\n'), Buffer.from([0xe2, 0x80])]));
    fs.writeFileSync(path.join(dir, 'surrogate-utf8.txt'), Buffer.concat([Buffer.from('Top Stories\n'), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]));
    fs.writeFileSync(path.join(tmp, 'outside.txt'), story);
    fs.symlinkSync(path.join(tmp, 'outside.txt'), path.join(dir, 'link.txt'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.txt'));
    fs.symlinkSync(path.join(tmp, 'nowhere.txt'), path.join(dir, 'dangling.txt'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.txt')]);
    fs.writeFileSync(path.join(dir, 'big.txt'), Buffer.alloc(6 * 1024 * 1024 + 1, 'Top Stories\n'));
    fs.writeFileSync(path.join(dir, 'good.txt'), story);
    const before = snapshot(dir);
    const outsideBefore = fs.readFileSync(path.join(tmp, 'outside.txt'));
    const run = runCliWith(['clean', '--in-place', dir]);
    assert.equal(run.status, 1, run.stderr);
    const reasons: Record<string, RegExp> = {
      'empty.txt': /is empty; skipped/,
      'binary.txt': /looks binary \(it contains NUL bytes\); skipped/,
      'latin1.txt': /is not valid UTF-8; skipped/,
      'truncated-utf8.txt': /is not valid UTF-8; skipped/,
      'surrogate-utf8.txt': /is not valid UTF-8; skipped/,
      'link.txt': /is a symbolic link .*; skipped/,
      'zero.txt': /is a symbolic link .*; skipped/,
      'dangling.txt': /is a symbolic link .*; skipped/,
      'fifo.txt': /is not a regular file; skipped/,
      'big.txt': /is 6\.0 MB, over the 5\.0 MB limit \(--max-size\); skipped/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const line = run.stderr.split('\n').find((l) => l.includes(`${path.sep}${name}:`));
      assert.ok(line, `a message names ${name}:\n${run.stderr}`);
      assert.match(line, reason, name);
      countFaults(`files: ${name.replace('.txt', '')}`);
    }
    const after = snapshot(dir);
    for (const name of Object.keys(reasons)) assert.equal(after.get(name), before.get(name), `${name} untouched`);
    assert.notEqual(after.get('good.txt'), before.get('good.txt'), 'the good file was cleaned');
    assert.deepEqual(fs.readFileSync(path.join(tmp, 'outside.txt')), outsideBefore, 'the target of a link is untouched');
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'no file added (no temporary file left)');
    assert.match(run.stderr, /sift: 1 file, 46 boilerplate lines removed/);
    countBytes(Object.keys(reasons).reduce((n, name) => n + (fs.lstatSync(path.join(dir, name)).isFile() ? fs.statSync(path.join(dir, name)).size : 0), 0), 0);
  });

  it('an unreadable file and an unreadable folder are skipped with the reason', function () {
    const dir = path.join(tmp, 'in');
    fs.mkdirSync(path.join(dir, 'locked'), {recursive: true});
    fs.writeFileSync(path.join(dir, 'secret.txt'), story);
    fs.writeFileSync(path.join(dir, 'locked', 'inside.txt'), story);
    fs.writeFileSync(path.join(dir, 'good.txt'), story);
    fs.chmodSync(path.join(dir, 'secret.txt'), 0o000);
    fs.chmodSync(path.join(dir, 'good.txt'), 0o666);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(tmp, 0o755);
    // Root reads everything: drop to `nobody` to meet a real permission error.
    const root = process.getuid?.() === 0;
    if (root && spawnSync('setpriv', ['--version']).status !== 0) this.skip();
    const prefix = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    try {
      const run = runCliWith(['clean', '--in-place', dir], {}, prefix);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /secret\.txt: cannot read: permission denied \(EACCES\); skipped/);
      assert.match(run.stderr, /locked: (is a folder that cannot be read|cannot read: permission denied \(EACCES\)); skipped/);
      assert.match(run.stderr, /1 file, 46 boilerplate lines removed/);
      countFaults('files: unreadable file', 1);
      countFaults('files: unreadable folder', 1);
    } finally {
      fs.chmodSync(path.join(dir, 'secret.txt'), 0o644);
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
    assert.deepEqual(fs.readFileSync(path.join(dir, 'secret.txt')), story);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'locked', 'inside.txt')), story);
  });

  it('a file that vanishes or fails while being read is skipped', () => {
    for (const [fault, reason] of [
      ['read=vanish@gone', /gone\.txt: vanished before it could be read; skipped/],
      ['read=EIO@gone', /gone\.txt: cannot read: EIO; skipped/],
    ] as const) {
      fs.writeFileSync(path.join(tmp, 'gone.txt'), story);
      fs.writeFileSync(path.join(tmp, 'stays.txt'), story);
      const run = runCliWith(['clean', '--in-place', tmp], {SIFT_FAULT: fault});
      countFaults(`files: ${fault.split('@')[0]}`);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, reason);
      if (fs.existsSync(path.join(tmp, 'gone.txt'))) assert.deepEqual(fs.readFileSync(path.join(tmp, 'gone.txt')), story);
      assert.notDeepEqual(fs.readFileSync(path.join(tmp, 'stays.txt')), story, 'the other file is cleaned');
    }
  });

  it('a file that vanishes or fails to read between the scan and its analysis is skipped; the others are annotated', () => {
    // The second read of a file is its analysis (the first is the scan of the folder's lines). With one thread the
    // fault counter sees both reads; with workers, the file is also read where its task runs.
    for (const [fault, reason] of [
      ['read=vanish@gone#2', /gone\.txt: vanished before it could be read; skipped/],
      ['read=EIO@gone#2', /gone\.txt: cannot read: EIO; skipped/],
    ] as const) {
      for (const command of [['annotate', '--jobs', '1'], ['clean', '--jobs', '1', '--dry-run']]) {
        fs.writeFileSync(path.join(tmp, 'gone.txt'), story);
        fs.writeFileSync(path.join(tmp, 'stays.txt'), story);
        const run = runCliWith([...command, tmp], {SIFT_FAULT: fault});
        countFaults(`files: ${fault.split('@')[0]}`);
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, reason);
        assert.equal(run.stderr.match(/skipped/g)?.length, 1, run.stderr);
        assert.match(run.stdout, /stays\.txt/, 'the other file is annotated');
        assert.doesNotMatch(run.stdout, /gone\.txt/);
      }
    }
  });

  it('--in-place refuses a file that changed after it was analysed, and keeps the change', () => {
    const file = path.join(tmp, 'edited.txt');
    fs.writeFileSync(file, story);
    // Another program appends a line at the last moment: after the cleaned copy is written, before the rename.
    const run = runCliWith(['clean', '--in-place', file], {SIFT_FAULT: 'write:rename=touch@edited'});
    countFaults('files: changed on disk before the rename');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /edited\.txt: changed on disk since it was analysed; not rewritten/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${story.toString('utf8')}A line another program added.\n`);
    assert.deepEqual(fs.readdirSync(tmp), ['edited.txt'], 'no temporary file left');
  });

  it('--in-place refuses a file removed, replaced or swapped for a link after it was read', () => {
    for (const action of ['vanish', 'replace', 'link']) {
      const file = path.join(tmp, 'swapped.txt');
      fs.writeFileSync(file, story);
      // Between the analysis and the write, the file goes away, or another file (same bytes) or a link takes its place.
      const run = runCliWith(['clean', '--in-place', file], {SIFT_FAULT: `write:open=${action}@swapped`});
      countFaults(`files: file ${action === 'vanish' ? 'removed' : action === 'replace' ? 'replaced' : 'swapped for a link'} before the write`);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /swapped\.txt: changed on disk since it was analysed; not rewritten/, action);
      if (action === 'vanish') assert.ok(!fs.existsSync(file), 'nothing recreated in place of a file the user removed');
      if (action === 'replace') assert.deepEqual(fs.readFileSync(file), story);
      if (action === 'link') {
        assert.ok(fs.lstatSync(file).isSymbolicLink(), 'the link is left as it is');
        assert.deepEqual(fs.readFileSync(`${file}.moved`), story);
      }
      assert.ok(fs.readdirSync(tmp).every((f) => !f.endsWith('.tmp')), 'no temporary file left');
      fs.rmSync(tmp, {recursive: true, force: true});
      fs.mkdirSync(tmp);
    }
  });

  it('a failed write (disk full, I/O error) leaves the original and no temporary file', () => {
    for (const fault of ['write:half=ENOSPC@full', 'write:sync=EIO@full', 'write:open=EACCES@full']) {
      fs.writeFileSync(path.join(tmp, 'full.txt'), story);
      fs.chmodSync(path.join(tmp, 'full.txt'), 0o640);
      const run = runCliWith(['clean', '--in-place', tmp], {SIFT_FAULT: fault});
      countFaults(`files: ${fault.split('@')[0]}`);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /full\.txt: cannot write: /);
      assert.deepEqual(fs.readFileSync(path.join(tmp, 'full.txt')), story, fault);
      assert.equal(fs.statSync(path.join(tmp, 'full.txt')).mode & 0o777, 0o640);
      assert.deepEqual(fs.readdirSync(tmp), ['full.txt'], `${fault}: no temporary file left`);
      countBytes(story.length, 0);
    }
  });

  it('--out into a folder that cannot be made: each file says why, nothing is counted as cleaned, the run ends', () => {
    const dir = path.join(tmp, 'in');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.txt'), story);
    fs.writeFileSync(path.join(tmp, 'plain-file'), 'not a folder');
    // Under /proc, Node's recursive mkdir never returns; under a file it fails at once.
    for (const [out, reason] of [
      ['/proc/sift-cannot-exist/out', /a\.txt: cannot write: ENOENT/],
      [path.join(tmp, 'plain-file', 'out'), /a\.txt: cannot write: ENOTDIR/],
    ] as const) {
      const run = runCliWith(['clean', '--out', out, dir]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, reason);
      assert.match(run.stderr, /sift: 0 files, 0 boilerplate lines removed/);
    }
    assert.deepEqual(fs.readFileSync(path.join(dir, 'a.txt')), story);
  });

  it('--out refuses to overwrite the input itself', () => {
    fs.copyFileSync(path.join(OWN_SAMPLES, 'library-reopens.txt'), path.join(tmp, 'a.txt'));
    const before = fs.readFileSync(path.join(tmp, 'a.txt'));
    const run = runCliWith(['clean', path.join(tmp, 'a.txt'), '--out', tmp]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /--out would overwrite the file itself; use --in-place/);
    assert.deepEqual(fs.readFileSync(path.join(tmp, 'a.txt')), before);
  });
});
