/**
 * `text.indexOf(needle, from)` for a few needles searched again and again from increasing
 * offsets: the last answer per needle is remembered, so the searches of one scan cost
 * linear time in total (a hostile text would otherwise make them quadratic).
 */
export class ForwardSearch {
  private readonly searchedFrom = new Map<string, number>();
  private readonly foundAt = new Map<string, number>();

  constructor(private readonly text: string) {}

  indexOf(needle: string, from: number): number {
    const f = this.searchedFrom.get(needle);
    if (f !== undefined && f <= from) {
      const at = this.foundAt.get(needle)!;
      if (at === -1 || at >= from) return at;
    }
    const at = this.text.indexOf(needle, from);
    this.searchedFrom.set(needle, from);
    this.foundAt.set(needle, at);
    return at;
  }
}
