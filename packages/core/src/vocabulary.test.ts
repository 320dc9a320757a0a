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

  it('finds titles exactly, then by a unique part, and lists the candidates of an ambiguous part', () => {
    const titles: Record<string, string> = {
      '1': 'Star Trek: First Contact (1996)',
      '2': 'Star Trek: Generations (1994)',
      '3': 'Star Wars (1977)',
      '4': 'Chasing Amy (1997)',
      '5': 'Chasing Amy (1997)',
      '6': 'Star Trek',
    };
    const v = Vocabulary.fromIds('item', Object.keys(titles)).withTitles((id) => titles[id]);
    expect(v.findTitles('star trek')).toEqual([5]); // an exact title wins over the titles containing it
    expect(v.findTitle('Star Trek')).toBe(5);
    expect(v.findTitles('Star Trek:')).toEqual([0, 1]);
    expect(v.findTitle('Star Trek:')).toBe(-1); // ambiguous: no silent pick
    expect(v.findTitle('Generations')).toBe(1); // the only title containing it
    expect(v.findTitle('Star Wars (1977)')).toBe(2);
    expect(v.findTitles('chasing amy (1997)')).toEqual([3, 4]); // two items share the title
    expect(v.findTitle('chasing amy (1997)')).toBe(3);
    expect(v.findTitles('Casablanca')).toEqual([]);
    expect(v.findTitle('Casablanca')).toBe(-1);
    expect(Vocabulary.fromIds('item', ['1']).findTitles('1')).toEqual([]);
  });
});
