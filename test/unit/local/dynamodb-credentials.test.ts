import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminDynamoConfig,
  adoptSharedDatabase,
  databaseFileName,
  DYNAMODB_CREDENTIALS_FILE,
  localDynamoCredentials,
  SHARED_DATABASE_FILE,
} from '../../../lib/local/dynamodb-credentials.ts';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function folder(): string {
  const made = mkdtempSync(join('.tmp', 'dynamodb-credentials-'));
  folders.push(made);
  return made;
}

describe("local mode's DynamoDB Local key", () => {
  it('is made once per data folder, kept readable by its owner only, and fresh for each run without one', () => {
    const dataDir = folder();
    const made = localDynamoCredentials(dataDir);
    expect(made.accessKeyId).toMatch(/^[A-Za-z0-9]{30,}$/);
    expect(statSync(join(dataDir, DYNAMODB_CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect(localDynamoCredentials(dataDir)).toEqual(made);
    expect(localDynamoCredentials().accessKeyId).not.toBe(localDynamoCredentials().accessKeyId);
  });

  it("gives a shared database to the key once, and never over the key's own", () => {
    const dbPath = folder();
    const credentials = localDynamoCredentials(folder());
    expect(adoptSharedDatabase(dbPath, credentials)).toBeUndefined();
    writeFileSync(join(dbPath, SHARED_DATABASE_FILE), 'old');
    expect(adoptSharedDatabase(dbPath, credentials)).toBeDefined();
    expect(readdirSync(dbPath)).toEqual([databaseFileName(credentials)]);
    writeFileSync(join(dbPath, SHARED_DATABASE_FILE), 'older');
    expect(adoptSharedDatabase(dbPath, credentials)).toBeUndefined();
    expect(readdirSync(dbPath).sort()).toEqual([databaseFileName(credentials), SHARED_DATABASE_FILE].sort());
  });

  it('signs the command line with it for an endpoint on this machine only', () => {
    const dataDir = folder();
    const credentials = localDynamoCredentials(dataDir);
    const env = { MAILROOM_DATA_DIR: dataDir };
    for (const endpoint of ['http://127.0.0.1:8000', 'http://localhost:8000', 'http://[::1]:8000'])
      expect(adminDynamoConfig(endpoint, env)).toEqual({ endpoint, region: 'us-east-1', credentials });
    expect(adminDynamoConfig(undefined, { ...env, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }).credentials).toEqual(credentials);
    expect(adminDynamoConfig('https://dynamodb.eu-west-1.amazonaws.com', env)).toEqual({
      endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
    });
    // A name that merely starts like a loopback address is someone else's host: the key stays here.
    for (const endpoint of ['http://127.attacker.example:8000', 'http://127.0.0.1.nip.io:8000', 'http://localhost.attacker.example'])
      expect(adminDynamoConfig(endpoint, env)).toEqual({ endpoint });
    expect(adminDynamoConfig(undefined, env)).toEqual({});
    const empty = folder();
    mkdirSync(join(empty, 'dynamodb'));
    expect(adminDynamoConfig('http://127.0.0.1:8000', { MAILROOM_DATA_DIR: empty })).toEqual({ endpoint: 'http://127.0.0.1:8000' });
  });
});
