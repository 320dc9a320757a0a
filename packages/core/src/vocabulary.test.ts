import { describe, expect, it } from 'vitest';
import { UnknownIdError } from './errors.js';
import { Vocabulary } from './vocabulary.js';

describe('Vocabulary', () => {
  it('sorts numeric ids numerically and text ids lexically', () => {
    expect(Vocabulary.fromIds('user', ['10', '9', '100', '9']).rawIds).toEqual(['9', '10', '100']);
    expect(Vocabulary.fromIds('item', ['b', 'a', '10']).rawIds).toEqual(['10', 'a', 'b']);
  });

  it('round-trips encode/decode and JSON with titles', () => {
    const v = Vocabulary.fromIds('item', ['3', '1', '2']).withTitles((id) => (id === '2' ? 'Two' : null));
    for (let k = 0; k < v.size; k++) expect(v.encode(v.decode(k))).toBe(k);
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(back.rawIds).toEqual(['1', '2', '3']);
    expect(back.title(1)).toBe('Two');
    expect(back.title(0)).toBe('1');
    expect(back.findTitle('two')).toBe(1);
    expect(() => back.encode('4')).toThrow(UnknownIdError);
    expect(back.tryEncode(4)).toBe(-1);
  });
});
