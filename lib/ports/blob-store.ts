/** Options of BlobStore.put. */
export interface PutBlobOptions {
  /** MIME type served with the file. */
  contentType: string;
  /** Name a browser saves the download under. */
  fileName: string;
}

/** Files too large for a response: export files (S3 in AWS, a folder in local mode). */
export interface BlobStore {
  /**
   * Stores the chunks under `key` as they arrive, without holding the whole file, and returns
   * its size in bytes. A file is visible only once complete; a failed upload leaves nothing.
   */
  put(key: string, chunks: AsyncIterable<Uint8Array | string>, options: PutBlobOptions): Promise<{ bytes: number }>;
  /** A URL that downloads the file without further credentials until `expiresSeconds` from now. */
  downloadUrl(key: string, expiresSeconds: number): Promise<string>;
}
