// How a user page chooses its trigram walk (src/store/user-trigrams.ts): the query's trigrams as
// the databases cut them, the rarest one, and the rows a walk reads against the matches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rarest, rowsWalked, trigramsOf } from '../../src/store/user-trigrams.ts';

describe('trigram walk choice', () => {
  it('cuts the lower-cased query into distinct 3-character fragments, by code point', () => {
    assert.deepEqual(trigramsOf('SeEd1'), ['see', 'eed', 'ed1']);
    assert.deepEqual(trigramsOf('aaaa'), ['aaa']);
    assert.deepEqual(trigramsOf('ab'), []);
    // A letter outside the BMP is one character to substr() on both databases.
    assert.deepEqual(trigramsOf('x😀yZ'), ['x😀y', '😀yz']);
    assert.deepEqual(trigramsOf('%_\\"'), ['%_\\', '_\\"']);
  });

  it('walks the trigram the fewest users contain; one nobody contains means no match', () => {
    const counts = new Map([
      ['see', 100_000],
      ['eed', 100_000],
      ['ed1', 11_111],
    ]);
    assert.deepEqual(rarest(['see', 'eed', 'ed1'], counts), { gram: 'ed1', users: 11_111 });
    assert.deepEqual(rarest(['see', 'xyz'], counts), { gram: 'xyz', users: 0 });
  });

  it('expects to read rows in proportion to the matches, at most all of the trigram users', () => {
    // Every row matches: a page of 50 reads 50 rows.
    assert.equal(rowsWalked(11_111, 11_111, 50), 50);
    // One row in ten matches: ten times the page.
    assert.equal(rowsWalked(5_000, 500, 50), 500);
    // Fewer matches than a page: every row.
    assert.equal(rowsWalked(300, 1, 50), 300);
    // Matches unknown (a query over 5 characters): every row.
    assert.equal(rowsWalked(4_000, undefined, 50), 4_000);
  });
});
