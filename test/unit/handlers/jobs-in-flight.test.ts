import { describe, expect, it } from 'vitest';
import { JobsInFlight } from '../../../lib/handlers/jobs-in-flight.ts';

describe('JobsInFlight', () => {
  it('is alone with one job running or none, not with two, and counts a job that throws out again', async () => {
    const jobs = new JobsInFlight();
    expect(jobs.alone).toBe(true);
    let release!: () => void;
    const first = jobs.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(jobs.alone).toBe(true);
    const second = jobs.run(async () => {
      expect(jobs.alone).toBe(false);
      throw new Error('failed');
    });
    await expect(second).rejects.toThrow('failed');
    expect(jobs.alone).toBe(true);
    release();
    await first;
    expect(jobs.alone).toBe(true);
  });
});
