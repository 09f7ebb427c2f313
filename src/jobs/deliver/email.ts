/**
 * An outbox row as a plain-text email over SMTP (nodemailer): the headline as subject, the lead's
 * context as `Label: value` lines, and a Message-ID derived from the row's key — the same on every
 * retry, so mail systems that see it twice can tell. The SMTP host goes through the destination
 * guard like any URL, and the connection is made to the address it checked.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { DestinationGuard } from '../../net/destinationGuard.ts';
import type { AttemptVerdict } from '../retryPolicy.ts';
import { excerptOf } from './http.ts';
import { facts, headline, plainFormat, type MessageInput } from './message.ts';
import { headerSafeKey } from './webhook.ts';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
}

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  /** `<hash@sender-domain>`: stable for the row's key. */
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The subject, body, Message-ID and headers for `input`, sent from `from`. Never throws. */
export function emailContent(input: MessageInput, from: string): EmailContent {
  const title = headline(input, plainFormat);
  const lines = facts(input, plainFormat).map(([label, value]) => `${label}: ${value}`);
  const text = [
    title,
    '',
    ...lines,
    ...(lines.length > 0 ? [''] : []),
    '—',
    `RevOps Engine · ${input.row.type} · ${input.row.key}`,
  ].join('\n');
  const hash = createHash('sha256').update(input.row.key).digest('hex').slice(0, 32);
  const domain = from.slice(from.lastIndexOf('@') + 1);
  return {
    subject: title.length > 200 ? `${title.slice(0, 199)}…` : title,
    text: `${text}\n`,
    messageId: `<${hash}@${domain}>`,
    headers: { 'X-Revops-Outbox-Key': headerSafeKey(input.row.key) },
  };
}

/** An SMTP failure's verdict: a 5xx reply, bad credentials or a refused envelope are final. */
export function smtpVerdict(error: unknown): AttemptVerdict {
  const e = error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const said = excerptOf(
    typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error),
  );
  if (typeof e.responseCode === 'number')
    return e.responseCode >= 500
      ? { kind: 'dead', error: `SMTP ${e.responseCode}: ${said}` }
      : { kind: 'retry', error: `SMTP ${e.responseCode}: ${said}` };
  const code = typeof e.code === 'string' ? e.code : 'error';
  if (code === 'EAUTH' || code === 'EENVELOPE' || code === 'EMESSAGE')
    return { kind: 'dead', error: `${code}: ${said}` };
  return { kind: 'retry', error: `${code}: ${said}` };
}

/** Sends `content` to `to` through `smtp`. Never throws: every failure is a verdict. */
export async function sendEmail(
  smtp: SmtpSettings,
  to: readonly string[],
  content: EmailContent,
  options: { readonly guard: DestinationGuard; readonly timeoutMs: number },
): Promise<AttemptVerdict> {
  const verdict = await options.guard.check(smtp.host);
  if (!verdict.ok)
    return verdict.kind === 'refused'
      ? {
          kind: 'dead',
          error: `outbox.destination_refused: SMTP host ${verdict.reason}; allow it in delivery.allowPrivate if it is yours`,
        }
      : { kind: 'retry', error: verdict.reason };
  const transport = nodemailer.createTransport({
    host: verdict.address,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
    ...(isIP(verdict.host) === 0 ? { tls: { servername: verdict.host } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: [...to],
      subject: content.subject,
      text: content.text,
      messageId: content.messageId,
      headers: content.headers,
    });
    return { kind: 'delivered' };
  } catch (error) {
    return smtpVerdict(error);
  } finally {
    transport.close();
  }
}
