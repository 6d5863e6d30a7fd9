/** SecretStore for local mode: one file per secret in a folder (mode 0600), or in memory. */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../../ports/secret-store.ts';

const REF = /^local:([A-Za-z0-9_-]{1,64}\/[a-z-]{1,32})$/;
const NAME = /^[A-Za-z0-9_-]{1,64}\/[a-z-]{1,32}$/;

function nameOf(ref: string): string {
  const name = REF.exec(ref)?.[1];
  if (!name) throw new Error('not a local secret reference');
  return name;
}

function checkName(name: string): void {
  // Names become file names: only `<tenant>/<kind>` shapes, so none can leave the folder.
  if (!NAME.test(name)) throw new Error('secret names are "<tenant id>/<kind>"');
}

/** Secrets as files `<folder>/<tenant>__<kind>`, readable by the owner only. References are `local:<name>`. */
export class FolderSecretStore implements SecretStore {
  constructor(private readonly folder: string) {}

  private file(name: string): string {
    return join(this.folder, name.replace('/', '__'));
  }

  async put(name: string, value: string): Promise<string> {
    checkName(name);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const file = this.file(name);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, value, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
    return `local:${name}`;
  }

  async get(ref: string): Promise<string> {
    return readFile(this.file(nameOf(ref)), 'utf8');
  }
}

/** Secrets held in memory (local mode without a data folder, tests). */
export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();

  async put(name: string, value: string): Promise<string> {
    checkName(name);
    this.#values.set(name, value);
    return `local:${name}`;
  }

  async get(ref: string): Promise<string> {
    const value = this.#values.get(nameOf(ref));
    if (value === undefined) throw new Error('no such secret');
    return value;
  }
}
