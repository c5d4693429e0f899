import { isUtf8 } from 'node:buffer';

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * The text of a document's bytes, as an editor reads them: UTF-16 when it starts with a
 * UTF-16 byte order mark (which is dropped), else UTF-8 (invalid sequences as U+FFFD, a
 * UTF-8 byte order mark dropped). `lossy`: the text cannot be written back as it was read
 * (UTF-16, or bytes that are no UTF-8), so edits of the file on disk are not offered.
 */
export function decodeDocument(bytes: Uint8Array): { text: string; lossy: boolean } {
  // (an odd byte left over at the end is a replacement character, as an editor shows it)
  if (bytes.length >= 2) {
    const le = bytes[0] === 0xff && bytes[1] === 0xfe;
    const be = bytes[0] === 0xfe && bytes[1] === 0xff;
    if (le || be) return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes), lossy: true };
  }
  const text = utf8.decode(bytes);
  // U+FFFD is rare in text: only then are the bytes checked.
  return { text, lossy: text.includes('\uFFFD') && !isUtf8(bytes) };
}
