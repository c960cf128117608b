import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Message } from '../domain/templates';

/** One channel's way out. `id` is stable per notification, so a resend is recognisable. */
export interface Sender {
  send(to: string, message: Message, id: string): Promise<void>;
}

const FROM = 'Shop <no-reply@shop.local>';
const messageId = (id: string) => `<${id}@shop.local>`;
/** A file name in the outbox that no event data can steer elsewhere: a digest of the id. */
const fileName = (id: string, extension: string) => `${Date.now()}-${createHash('sha256').update(id).digest('hex').slice(0, 32)}.${extension}`;

/** SMTP when SMTP_URL is set; otherwise each email is written as an .eml file to DATA_DIR/outbox. */
export function emailSender(smtpUrl: string | undefined, dataDir: string): Sender {
  const mail = (m: Message, to: string, id: string) => ({ from: FROM, to, subject: m.subject, text: m.text, html: m.html, messageId: messageId(id) });
  if (smtpUrl) {
    // Pooled: messages reuse open connections instead of one connection (and greeting) each.
    const pooled = new URL(smtpUrl);
    pooled.searchParams.set('pool', 'true');
    const transport = nodemailer.createTransport(pooled.toString());
    return { send: async (to, m, id) => void (await transport.sendMail(mail(m, to, id))) };
  }
  const outbox = path.join(dataDir, 'outbox');
  mkdirSync(outbox, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(to, m, id) {
      const info = await transport.sendMail(mail(m, to, id));
      writeFileSync(path.join(outbox, fileName(id, 'eml')), info.message as Buffer);
    },
  };
}

/** No SMS provider is reachable from here: each SMS is written to DATA_DIR/outbox as a .sms file. */
export function smsSender(dataDir: string): Sender {
  const outbox = path.join(dataDir, 'outbox');
  mkdirSync(outbox, { recursive: true });
  return {
    async send(to, m, id) {
      writeFileSync(path.join(outbox, fileName(id, 'sms')), `To: ${to}\n\n${m.sms}\n`);
    },
  };
}
