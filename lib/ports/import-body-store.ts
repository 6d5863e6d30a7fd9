/**
 * The bodies of contact imports that run as jobs, kept as the request sent them from the API
 * until the import function has written their contacts (S3 in AWS, a folder in local mode).
 */
export interface ImportBodyStore {
  /** Stores the body under `key`. */
  put(key: string, body: string): Promise<void>;
  /** The body; undefined when there is no such object. */
  get(key: string): Promise<string | undefined>;
  /** Removes the body; nothing happens when it is already gone. */
  delete(key: string): Promise<void>;
}
