import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Message } from './templates';

export interface Mailer {
  send(to: string, message: Message): Promise<void>;
}

const FROM = 'Shop <no-reply@shop.local>';

/** SMTP when SMTP_URL is set; otherwise each email is written as an .eml file to DATA_DIR/outbox. */
export function createMailer(smtpUrl: string | undefined, dataDir: string): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      async send(to, message) {
        await transport.sendMail({ from: FROM, to, ...message });
      },
    };
  }
  const outbox = path.join(dataDir, 'outbox');
  mkdirSync(outbox, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(to, message) {
      const info = await transport.sendMail({ from: FROM, to, ...message });
      const id = String(info.messageId).replace(/[^A-Za-z0-9.@-]/g, '');
      writeFileSync(path.join(outbox, `${Date.now()}-${id}.eml`), info.message as Buffer);
    },
  };
}
