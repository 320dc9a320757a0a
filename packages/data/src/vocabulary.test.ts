import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.js';
import { parseDelimited } from './readers/delimited.js';

describe('Vocabulary in readers', () => {
  it('readers build the same vocabularies as fromIds', () => {
    const text = 'u,i,r\n10,x,1\n9,y,2\n100,x,3\n9,z,4\n';
    const ds = parseDelimited(text);
    expect(ds.users.rawIds).toEqual(Vocabulary.fromIds('user', ['10', '9', '100']).rawIds);
    expect(ds.items.rawIds).toEqual(Vocabulary.fromIds('item', ['x', 'y', 'z']).rawIds);
  });
});
