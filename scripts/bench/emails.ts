/**
 * Notification latency: from placeOrder returning to the order's confirmation email accepted
 * by the SMTP server on loopback (test/support/smtp.ts).
 */
import type { startSmtp } from '../../test/support/smtp';
import { latencies, type Latencies } from './stats';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

export function emailClock(smtp: Smtp) {
  const placedAt = new Map<number, number>();
  // By order number; an email may even be accepted before the bench has read placeOrder's answer.
  const acceptedAt = new Map<number, number>();
  smtp.onMail((mail) => {
    const number = Number(/#(\d+) is confirmed/.exec(mail.subject)?.[1]);
    if (number && !acceptedAt.has(number)) acceptedAt.set(number, mail.at);
  });
  return {
    /** placeOrder returned order `number` at `at`. */
    placed(number: number, at: number) {
      placedAt.set(number, at);
    },
    /** Waits up to timeoutMs for the email of each order placed since the last collect. */
    async collect(timeoutMs: number): Promise<Latencies & { missing: number; samples: number[] }> {
      const expected = [...placedAt.keys()];
      const deadline = Date.now() + timeoutMs;
      while (expected.some((n) => !acceptedAt.has(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // In order of the order numbers: a slow first email reads differently from a periodic one.
      const found = expected.filter((n) => acceptedAt.has(n)).sort((a, b) => a - b);
      const delays = found.map((n) => acceptedAt.get(n)! - placedAt.get(n)!);
      placedAt.clear();
      return { ...latencies(delays), missing: expected.length - found.length, samples: delays };
    },
  };
}
