/**
 * Reads a stream chunk by chunk, handing each to `onChunk`, and stops as soon as more than `max`
 * bytes came: the total read, or undefined when the stream was too long. It stops by releasing
 * the stream, not cancelling it: on Node, cancelling a request body destroys the socket, and a
 * client still sending would get a connection reset instead of the caller's 413.
 *
 * @example const size = await readWithin(request.body, 1024 * 1024, (chunk) => chunks.push(chunk)); if (size === undefined) throw tooLarge();
 */
export async function readWithin(
  body: ReadableStream<Uint8Array>, max: number, onChunk: (chunk: Uint8Array) => void | Promise<void>,
): Promise<number | undefined> {
  const reader = body.getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return size;
    size += value.byteLength;
    if (size > max) {
      reader.releaseLock();
      return undefined;
    }
    await onChunk(value);
  }
}
