import assert from 'node:assert/strict';
import {CLOSE_DO_NOT_RESTART, CLOSE_RESTART, restartPolicy} from '../server/src/lsp/restart-policy.js';

describe('client restart policy', () => {
  it('restarts 4 times in 3 minutes, says so once, and once more when it gives up', () => {
    let t = 0;
    const said: string[] = [];
    const closed = restartPolicy({restarted: () => said.push('restarted'), gaveUp: () => said.push('gave up')}, 4, 180_000, () => t);
    assert.deepEqual([closed(), closed(), closed(), closed()], [CLOSE_RESTART, CLOSE_RESTART, CLOSE_RESTART, CLOSE_RESTART]);
    assert.deepEqual(said, ['restarted']);
    t += 1000;
    assert.equal(closed(), CLOSE_DO_NOT_RESTART);
    assert.equal(closed(), CLOSE_DO_NOT_RESTART);
    assert.deepEqual(said, ['restarted', 'gave up']);
  });

  it('forgets restarts older than the window', () => {
    let t = 0;
    const closed = restartPolicy({restarted: () => undefined, gaveUp: () => undefined}, 4, 180_000, () => t);
    for (let i = 0; i < 10; i++) {
      assert.equal(closed(), CLOSE_RESTART, `crash ${i + 1}`);
      t += 60_000;
    }
  });
});
