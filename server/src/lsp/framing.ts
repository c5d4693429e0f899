/**
 * The header that frames one JSON-RPC message on a byte stream (LSP's base protocol):
 * written by the stdio writer (transport.ts) and by the worker that publishes stored
 * diagnostics (publish-stored.ts), which loads nothing of the protocol libraries.
 */
export function contentLengthHeader(bodyBytes: number): Buffer {
  return Buffer.from(`Content-Length: ${bodyBytes}\r\n\r\n`, 'ascii');
}
