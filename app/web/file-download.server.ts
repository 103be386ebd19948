// A stored file as a download: streamed a chunk at a time (readFile checks
// the SHA-256 as it goes, and a damaged file ends the stream in an error
// rather than passing as sound), never cached, never sniffed, named as its
// record names it. The route decides first who may have it.
import type { StoredFile } from "#app/modules/files/files";

/** A Content-Disposition that survives any name: an ASCII stand-in, and the real name encoded (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function fileDownload(file: StoredFile, chunks: AsyncGenerator<Buffer>): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": attachment(file.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
