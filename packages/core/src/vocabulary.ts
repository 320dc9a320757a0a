import { UnknownIdError } from './errors.js';

/** The serialised form of a {@link Vocabulary} (stored with datasets and models). */
export interface VocabularyJSON {
  kind: 'user' | 'item';
  ids: string[];
  titles?: (string | null)[];
}

/**
 * Maps raw ids (numbers or arbitrary strings, kept as strings) to contiguous indices 0..size-1 and back, as
 * fastai's `Categorify` does. Indices follow the sorted order of the ids (numeric order when every id is a
 * number), so the same set of ids always gets the same indices. Unlike fastai there is no `#na#` slot:
 * an unknown id is an error, not a silent index 0.
 */
export class Vocabulary {
  readonly kind: 'user' | 'item';
  private readonly ids: string[];
  private readonly index: Map<string, number>;
  private titleList: (string | null)[] | null;

  constructor(kind: 'user' | 'item', ids: string[], titles: (string | null)[] | null = null) {
    this.kind = kind;
    this.ids = ids;
    this.index = new Map();
    for (let i = 0; i < ids.length; i++) {
      if (this.index.has(ids[i])) throw new Error(`duplicate ${kind} id ${ids[i]} in vocabulary`);
      this.index.set(ids[i], i);
    }
    if (titles && titles.length !== ids.length) throw new Error(`${kind} vocabulary: ${titles.length} titles for ${ids.length} ids`);
    this.titleList = titles;
  }

  /** Builds a vocabulary from the distinct ids in `ids`, sorted (numerically when all are numbers). */
  static fromIds(kind: 'user' | 'item', ids: Iterable<string>): Vocabulary {
    const distinct = [...new Set(ids)];
    const numeric = distinct.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
    distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Vocabulary(kind, distinct);
  }

  static fromJSON(json: VocabularyJSON): Vocabulary {
    return new Vocabulary(json.kind, json.ids, json.titles ?? null);
  }

  toJSON(): VocabularyJSON {
    return this.titleList ? { kind: this.kind, ids: this.ids, titles: this.titleList } : { kind: this.kind, ids: this.ids };
  }

  /** Number of distinct ids. */
  get size(): number {
    return this.ids.length;
  }

  /** The index of a raw id; throws {@link UnknownIdError} when the id is not in the vocabulary. */
  encode(id: string | number): number {
    const i = this.index.get(String(id));
    if (i === undefined) throw new UnknownIdError(this.kind, id);
    return i;
  }

  /** The index of a raw id, or -1 when unknown. */
  tryEncode(id: string | number): number {
    return this.index.get(String(id)) ?? -1;
  }

  /** The raw id at an index. */
  decode(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`${this.kind} index ${index} out of range 0..${this.ids.length - 1}`);
    return id;
  }

  /** All raw ids in index order (do not modify). */
  get rawIds(): readonly string[] {
    return this.ids;
  }

  /** Whether titles are attached. */
  get hasTitles(): boolean {
    return this.titleList !== null;
  }

  /** The title at an index, falling back to the raw id when there is none. */
  title(index: number): string {
    return this.titleList?.[index] ?? this.decode(index);
  }

  /** Attaches titles from a raw-id to title lookup; ids without one keep `null`. */
  withTitles(lookup: (id: string) => string | null | undefined): Vocabulary {
    return new Vocabulary(this.kind, this.ids, this.ids.map((id) => lookup(id) ?? null));
  }

  /**
   * The indices whose title equals `query` (case-insensitive), or, when none does, every index whose title
   * contains it; in index order, empty when nothing matches or there are no titles. Several results mean the
   * query is ambiguous: show them and let the caller choose.
   */
  findTitles(query: string): number[] {
    if (!this.titleList) return [];
    const q = query.toLowerCase();
    const exact: number[] = [];
    const partial: number[] = [];
    for (let i = 0; i < this.titleList.length; i++) {
      const t = this.titleList[i]?.toLowerCase();
      if (t === undefined) continue;
      if (t === q) exact.push(i);
      else if (exact.length === 0 && t.includes(q)) partial.push(i);
    }
    return exact.length > 0 ? exact : partial;
  }

  /**
   * The index whose title is `query` (case-insensitive; the first when several items share that title), else
   * the one title that contains it; -1 when none matches or several titles contain it (see
   * {@link Vocabulary.findTitles} for the candidates).
   */
  findTitle(query: string): number {
    const found = this.findTitles(query);
    if (found.length === 0) return -1;
    const q = query.toLowerCase();
    if (this.titleList![found[0]]!.toLowerCase() === q) return found[0];
    return found.length === 1 ? found[0] : -1;
  }
}
