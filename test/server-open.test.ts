/**
 * A newly opened document is analysed while its settings are asked for, with the settings the last document got:
 * the analysis is used only when its own settings turn out the same, and is then the only one made.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {OWN_SAMPLES, readText} from './helpers.js';
import {debugClient, serverTests, stats} from './reliability/lsp-helpers.js';

describe('language server: opening a document', function () {
  this.timeout(60000);
  const server = serverTests('sift-lsp-open-');

  it('is analysed with its own settings when they differ from the last document’s, and once when they do not', async () => {
    const {tmp} = server;
    const client = server.start(debugClient());
    await client.initialize(tmp);
    const text = readText(path.join(OWN_SAMPLES, 'harbour-strike.txt'));
    const codes = (diagnostics: Array<{code?: unknown}>): Set<unknown> => new Set(diagnostics.map((d) => d.code));
    // Each in a folder of its own: the workspace's repeated lines of other files do not change its boilerplate.
    const a = await client.open(path.join(tmp, 'a', 'a.txt'), text);
    const first = await client.diagnosticsFor(a, 1);
    assert.ok(codes(first).has('quotation') && codes(first).has('named-entity') && codes(first).has('boilerplate'));
    const requestsBefore = client.configurationRequests;
    const guesses = async (): Promise<{guessesUsed: number; guessesWasted: number; analyses: number}> => (await stats(client)) as unknown as {guessesUsed: number; guessesWasted: number; analyses: number};
    const start = await guesses();

    // New settings, not announced: only the next document's configuration request sees them.
    client.settings = {severity: {quotes: 'off'}, entities: {types: ['PER']}};
    const b = await client.open(path.join(tmp, 'b', 'b.txt'), text);
    const second = await client.diagnosticsFor(b, 1);
    assert.equal(client.configurationRequests, requestsBefore + 1, 'its settings were asked for');
    assert.ok(!codes(second).has('quotation'), 'no quotations: its own settings, not the last document’s');
    assert.ok(second.length < first.length);
    assert.ok(second.filter((d) => d.code === 'named-entity').length < first.filter((d) => d.code === 'named-entity').length, 'people only');
    const afterSecond = await guesses();
    assert.equal(afterSecond.guessesWasted - start.guessesWasted, 1, 'the analysis with the last document’s settings was made and not used');
    assert.equal(afterSecond.guessesUsed, start.guessesUsed);

    // The same settings again: the analysis made while they were asked for is the one published, the only one.
    const before = await guesses();
    const c = await client.open(path.join(tmp, 'c', 'c.txt'), text);
    const third = await client.diagnosticsFor(c, 1);
    await client.connection.sendRequest('textDocument/hover', {textDocument: {uri: c}, position: third[0]!.range.start});
    const after = await guesses();
    assert.equal(after.analyses - before.analyses, 1, 'one analysis of the third document');
    assert.equal(after.guessesUsed - before.guessesUsed, 1, 'made while its settings were asked for');
    assert.equal(after.guessesWasted, before.guessesWasted);
    assert.equal(JSON.stringify(third), JSON.stringify(second));
  });
});
