import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/ferretdb';

export interface ReceivedMail {
  to: string[];
  raw: string;
  messageId: string;
  subject: string;
  at: number;
}

/** Mail to this domain is refused (550), as a server refuses an unknown mailbox. */
export const REFUSED_DOMAIN = 'refused.example';

/**
 * A real SMTP server on loopback (smtp-server). A message counts as received when the server
 * accepts it (250 after DATA); while `stall()` is on, acceptance waits, and a message whose
 * client went away before acceptance is not counted, exactly as a real server would drop it.
 */
export async function startSmtp() {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const closed = new Set<string>();
  let stalled: (() => void)[] | null = null;
  let onMail: ((mail: ReceivedMail) => void) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onRcptTo(address, _session, callback) {
      if (!address.address.endsWith(`@${REFUSED_DOMAIN}`)) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const accept = () => {
          if (closed.has(session.id)) return;
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '',
            subject: /^Subject:\s*(.*)$/im.exec(raw)?.[1] ?? '',
            at: Date.now(),
          };
          received.push(mail);
          onMail?.(mail);
          callback();
        };
        if (stalled) stalled.push(accept);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    onMail: (f: (mail: ReceivedMail) => void) => void (onMail = f),
    stall: () => void (stalled = []),
    /** Accepts what waited (from clients still connected) and stops stalling. */
    release() {
      const waiting = stalled ?? [];
      stalled = null;
      waiting.forEach((accept) => accept());
    },
    waiting: () => stalled?.length ?? 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
