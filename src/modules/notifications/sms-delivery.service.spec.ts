import { retryDelaySeconds } from '../jobs/jobs.service';
import { attemptsCovering, SMS_MAX_ATTEMPTS, SMS_RETRY_BACKOFF_SECONDS } from './sms-delivery.service';

describe('SMS retry window', () => {
  const totalWait = (attempts: number, random: () => number) => {
    let sum = 0;
    for (let a = 1; a < attempts; a++) sum += retryDelaySeconds(SMS_RETRY_BACKOFF_SECONDS, a, random);
    return sum;
  };

  it('keeps retrying a message for at least 24 hours, even with the shortest jitter', () => {
    expect(totalWait(SMS_MAX_ATTEMPTS, () => 0)).toBeGreaterThanOrEqual(24 * 3600);
    expect(totalWait(SMS_MAX_ATTEMPTS - 1, () => 0)).toBeLessThan(24 * 3600);
  });

  it('gives up within about a day and a half at the latest', () => {
    expect(totalWait(SMS_MAX_ATTEMPTS, () => 1)).toBeLessThan(36 * 3600);
  });

  it('computes the smallest covering number of attempts', () => {
    expect(attemptsCovering(10, 10)).toBe(3); // waits 9 + 18
    expect(attemptsCovering(0, 10)).toBe(1);
    expect(SMS_MAX_ATTEMPTS).toBe(35);
  });
});
