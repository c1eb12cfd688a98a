/**
 * The quotation analyser on short texts written for these tests: quote marks, speakers, partial quotes, indirect
 * speech, the output fields and the plugin contract.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {analyse, annotate, type Quote} from '../server/src/engine/index.js';
import {findQuoteSpans} from '../server/src/engine/quotes/marks.js';

/**
 * The quotations of a text, quotes only.
 * @param text Text.
 * @returns Quotes.
 */
function quotes(text: string): Quote[] {
  return annotate(text, {only: ['quotes']}).quotes;
}

/**
 * Direct (and partial) quotes as `[text, speaker]` pairs.
 * @param text Text.
 * @returns Pairs.
 */
function direct(text: string): Array<[string, string | null]> {
  return quotes(text)
    .filter((q) => q.direct)
    .map((q) => [q.text, q.speaker]);
}

/**
 * The quoted texts found by the marks alone.
 * @param text Text.
 * @returns Contents.
 */
function marked(text: string): string[] {
  return findQuoteSpans(text).map((s) => text.slice(s.start, s.end));
}

describe('quotes: marks', () => {
  it('reads straight, curly, single, double quotes and guillemets', () => {
    assert.deepEqual(marked('He said "yes" and “no” and «peut-être» and ‘maybe’ and \'fine\'.'), ['yes', 'no', 'peut-être', 'maybe', 'fine']);
  });

  it('reads the newspaper style with doubled apostrophes', () => {
    assert.deepEqual(marked("''We will win,'' Mr. Dalton said. ''I am sure of it.''"), ['We will win,', 'I am sure of it.']);
    assert.deepEqual(marked("''I would call it 'old-school,''' said Ms. Vance."), ["I would call it 'old-school,'"]);
  });

  it('keeps a nested quote inside the outer one', () => {
    const text = '“She told me ‘never again’ and left,” he said. "He called it “a farce” twice," she said.';
    assert.deepEqual(marked(text), ['She told me ‘never again’ and left,', 'He called it “a farce” twice,']);
  });

  it('joins a multi-paragraph quote that closes only on its last paragraph', () => {
    const text = 'The mayor wrote:\n\n“The first paragraph goes on.\n\n“The second one too.\n\n“And this one ends it.”\n\nNo quote here.';
    const spans = findQuoteSpans(text);
    assert.equal(spans.length, 1);
    assert.ok(text.slice(spans[0]!.start, spans[0]!.end).startsWith('The first paragraph'));
    assert.ok(text.slice(spans[0]!.start, spans[0]!.end).endsWith('ends it.'));
    const found = quotes(text).filter((q) => q.direct);
    assert.equal(found.length, 1, 'one item for the whole quote');
    assert.equal(found[0]!.speaker, 'the mayor');
  });

  it('does not read apostrophes typed as quote marks as quotes', () => {
    assert.deepEqual(marked('Turkey‘s envoy and the country’s plan, the ’90s, rock ’n’ roll and the Joneses’ car.'), []);
  });

  it('accepts mixed and mis-typed marks', () => {
    assert.deepEqual(marked('"We are ready,” she said. “Are you?“ he asked.'), ['We are ready,', 'Are you?']);
  });

  it('ignores quote marks inside markup tags', () => {
    assert.deepEqual(marked('<tweet id="12345" author="@someone">Great day</tweet> and "a real quote" here'), ['a real quote']);
  });
});

describe('quotes: speakers', () => {
  it('finds the speaker after the quote, with or without inversion', () => {
    assert.deepEqual(direct('“We will build it,” Ada Kern said.'), [['We will build it,', 'Ada Kern']]);
    assert.deepEqual(direct('“We will build it,” said Ada Kern, the city engineer.'), [['We will build it,', 'Ada Kern']]);
  });

  it('attributes a split quote to one speaker, twice', () => {
    const text = 'Ada Kern runs the works. “The bridge is safe,” Kern said. “We checked every bolt.”';
    assert.deepEqual(direct(text), [
      ['The bridge is safe,', 'Ada Kern'],
      ['We checked every bolt.', 'Ada Kern'],
    ]);
  });

  it('reads titles, appositives and parentheses around the speaker', () => {
    assert.deepEqual(direct('“The vote is close,” Sen. Mara Quill (D-Ore.) told reporters.'), [['The vote is close,', 'Mara Quill']]);
    assert.deepEqual(direct('“The vote is close,” Mara Quill, the chair of the rules committee, told reporters.'), [['The vote is close,', 'Mara Quill']]);
    const before = quotes('Mara Quill, the chair of the rules committee, told reporters: “The vote is close.”').find((q) => q.direct)!;
    assert.equal(before.speaker, 'Mara Quill');
    assert.equal(before.cue, 'told');
  });

  it('reads a colon introduction and "according to"', () => {
    assert.deepEqual(direct('Ruth Oyelaran said: “Prices will fall next year.”'), [['Prices will fall next year.', 'Ruth Oyelaran']]);
    assert.deepEqual(direct('“Prices will fall,” according to Ruth Oyelaran.'), [['Prices will fall,', 'Ruth Oyelaran']]);
  });

  it('resolves "he" and "she" to the right earlier person', () => {
    const text = 'Tomas Berg met Lena Varga on Monday.\n\n“It went well,” she said. “We agree on most things,” he added.';
    const found = quotes(text).filter((q) => q.direct);
    assert.deepEqual(found.map((q) => [q.speakerMention, q.speaker]), [['she', 'Lena Varga'], ['he', 'Tomas Berg']]);
  });

  it('resolves a role noun to the person who was given that title', () => {
    const text = 'Finance Minister Olga Petrov presented the budget.\n\n“It is balanced,” the minister said.';
    const found = quotes(text).find((q) => q.direct)!;
    assert.equal(found.speakerMention, 'the minister');
    assert.equal(found.speaker, 'Olga Petrov');
  });

  it('continues the speaker of the paragraph before for a paragraph that is only a quote', () => {
    const text = 'Ada Kern told the council on Tuesday that the repairs were finished.\n\n“We checked every bolt on that bridge.”';
    assert.deepEqual(direct(text), [['We checked every bolt on that bridge.', 'Ada Kern']]);
  });

  it('fills speakerMention, speaker and cue offsets that slice the text', () => {
    const text = 'Ada Kern runs the works. “The bridge is safe,” she said.';
    const quote = quotes(text).find((q) => q.direct)!;
    assert.equal(text.slice(quote.start, quote.end), quote.text);
    assert.equal(text.slice(quote.speakerStart!, quote.speakerEnd!), quote.speakerMention);
    assert.equal(text.slice(quote.cueStart!, quote.cueEnd!), quote.cue);
    assert.deepEqual([quote.speakerMention, quote.speaker, quote.cue, quote.kind], ['she', 'Ada Kern', 'said', 'direct']);
  });
});

describe('quotes: partial quotes, scare quotes and titles', () => {
  it('gives a participle after "comments X made" to X, not to the subject of the sentence', () => {
    const text = 'Valdera previously expressed anger at comments Mayor Ilse Varga made during her campaign describing the council as "a talking shop," and demanded an apology.';
    assert.deepEqual(direct(text), [['a talking shop,', 'Ilse Varga']]);
    const other = 'The union rejected a statement the port authority issued on Monday saying the plan was "final."';
    assert.deepEqual(direct(other).map((q) => q[0]), ['final.']);
  });
  it('marks a partial quote with the speaker of its clause', () => {
    const text = 'Ruth Oyelaran described the plan as an “expensive gamble” on Friday.';
    const partial = quotes(text).find((q) => q.direct)!;
    assert.deepEqual([partial.text, partial.kind, partial.speaker, partial.cue], ['expensive gamble', 'partial', 'Ruth Oyelaran', 'described']);
  });

  it('gives an embedded partial quote the outer speaker', () => {
    const text = 'Ruth Oyelaran said her rival had called the plan “a fantasy.”';
    assert.equal(quotes(text).find((q) => q.direct)!.speaker, 'Ruth Oyelaran');
  });

  it('gives a partial quote in a relative clause the speaker of that clause', () => {
    const text = 'The minister accused the company of fraud, charges which the embassy called “baseless” in a statement.';
    const partial = quotes(text).find((q) => q.direct)!;
    assert.deepEqual([partial.text, partial.speakerMention, partial.cue], ['baseless', 'the embassy', 'called']);
  });

  it('does not report titles or nicknames as quotations', () => {
    assert.deepEqual(direct('She appeared on the network’s “Morning Desk” on Sunday.'), []);
    assert.deepEqual(direct('Rep. Robert “Bobby” Tane opened the fair.'), []);
    assert.deepEqual(direct('He read the novel “Winter Harbour” twice.'), []);
  });

  it('does not report a short scare quote that no one says', () => {
    assert.deepEqual(direct('The “reform” ended in a year.'), []);
  });
});

describe('quotes: indirect speech', () => {
  it('finds "X said (that) …" with its speaker and cue', () => {
    const found = quotes('Ruth Oyelaran said that prices would fall sharply next year.').filter((q) => !q.direct);
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]!.text, found[0]!.kind, found[0]!.speaker, found[0]!.cue], ['prices would fall sharply next year', 'indirect', 'Ruth Oyelaran', 'said']);
  });

  it('finds "…, X said." and "according to X"', () => {
    const after = quotes('Prices would fall sharply next year, the central bank said.').find((q) => !q.direct)!;
    assert.deepEqual([after.text, after.speaker], ['Prices would fall sharply next year', 'the central bank']);
    const according = quotes('According to the central bank, prices would fall sharply next year.').find((q) => !q.direct)!;
    assert.deepEqual([according.text, according.speakerMention, according.cue], ['prices would fall sharply next year', 'the central bank', 'According to']);
  });

  it('reports a mixed content twice: the quoted words as a partial quote, the whole as indirect speech', () => {
    const text = 'Ada Kern said the bridge was “perfectly safe” after the repairs.';
    const found = quotes(text);
    assert.deepEqual(found.map((q) => [q.kind, q.text]), [['indirect', 'the bridge was “perfectly safe” after the repairs'], ['partial', 'perfectly safe']]);
  });

  it('reads reported speech right after a sentence that ended with a quotation', () => {
    const text = 'Ruth Oyelaran said that “trust is broken.” Ada Kern said on Monday she wants an inquiry into the police.';
    const indirect = quotes(text).filter((q) => !q.direct);
    assert.deepEqual(indirect.map((q) => [q.text, q.speaker]), [['she wants an inquiry into the police', 'Ada Kern']]);
  });

  it('ends a reported content where a new clause with its own speaker starts', () => {
    const text = 'Ruth Oyelaran said prices would fall next year, and Ada Kern warned that wages would follow.';
    const indirect = quotes(text).filter((q) => !q.direct);
    assert.deepEqual(indirect.map((q) => [q.text, q.speaker]), [['prices would fall next year', 'Ruth Oyelaran'], ['wages would follow', 'Ada Kern']]);
  });

  it('does not report a plain direct quote as indirect speech', () => {
    assert.deepEqual(quotes('Ada Kern said: “The bridge is safe.”').map((q) => q.kind), ['direct']);
    assert.deepEqual(quotes('“The bridge is safe,” Ada Kern said on Monday in Lisbon.').map((q) => q.kind), ['direct']);
  });
});

describe('quotes: plugin contract', () => {
  it('emits one quotation message per quote', () => {
    const text = 'Ruth Oyelaran said prices would fall. “We are ready,” she said.';
    const file = analyse(text, {only: ['quotes']});
    const messages = file.messages.filter((m) => m.ruleId === 'quotation');
    assert.equal(messages.length, file.data.sift!.annotations.quotes.length);
    assert.equal(messages.length, 2);
    assert.ok(messages.every((m) => m.source === 'sift'));
    assert.match(String(messages[1]!.reason), /Quotation by Ruth Oyelaran \(said\)/);
  });

  it('keeps offsets inside the text and sorted, whatever the text', () => {
    const piece = fc.constantFrom('“', '”', '"', "'", '‘', '’', "''", '«', '»', 'said', 'Kern', 'he', ',', '.', ':', ' ', '\n', '\n\n', 'according to', 'the minister', 'Ada', '<a href="x">', 'told');
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 60}), (parts) => {
        const text = parts.join('');
        const found = quotes(text);
        for (let i = 0; i < found.length; i++) {
          const q = found[i]!;
          assert.ok(q.start >= 0 && q.start <= q.end && q.end <= text.length);
          assert.equal(text.slice(q.start, q.end), q.text);
          if (q.speakerStart !== null) assert.equal(text.slice(q.speakerStart, q.speakerEnd!), q.speakerMention);
          if (i > 0) assert.ok(found[i - 1]!.start <= q.start);
        }
      }),
      {numRuns: 300, seed: 7},
    );
  });
});
