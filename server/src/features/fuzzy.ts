/** Whether the characters of `needle` appear in `hay` in order (both lower case). */
export function isSubsequence(needle: string, hay: string): boolean {
  let from = 0;
  for (let i = 0; i < needle.length; i++) {
    const at = hay.indexOf(needle[i], from);
    if (at === -1) return false;
    from = at + 1;
  }
  return true;
}
