import { afterEach, describe, expect, it } from 'vitest';
import { createDestinationGuard } from '../../net/destinationGuard.ts';
import { startSmtpSink, type SmtpSink } from '../outboxTestServers.ts';
import { emailContent, sendEmail, smtpVerdict, type SmtpSettings } from './email.ts';
import { AT, leeContext, outboxRow } from './fixtures.ts';
import type { Person } from './message.ts';

const ROW = outboxRow('assigned', { to: 'rep:priya', rule: 'round-robin', team: 'general' });
const LEE = leeContext();
const PEOPLE = new Map<string, Person>([
  [
    'priya',
    { id: 'priya', name: 'Priya Natarajan', email: 'priya.natarajan@example.com', slack: 'U024BE7LH' },
  ],
]);
const INPUT = { row: ROW, lead: LEE, people: PEOPLE };

describe('emailContent', () => {
  it('writes the headline as subject and the lead context as lines, with a Message-ID from the key', () => {
    const content = emailContent(INPUT, 'revops@example.com');
    expect(content).toEqual({
      subject: 'New lead for Priya Natarajan: Lee Number1 (Company 1)',
      text: [
        'New lead for Priya Natarajan: Lee Number1 (Company 1)',
        '',
        'Owner: Priya Natarajan',
        'Score: 41 (fit 30 · engagement 25) · MQL',
        'Why: +25 Demo request or trial signup',
        'Rule: round-robin',
        'SLA: Speed to lead due 2026-11-24 15:06 UTC',
        'Stage: mql',
        'Email: lee@company1.com',
        '',
        '—',
        `RevOps Engine · assigned · assigned:email:lee@company1.com:${AT}`,
        '',
      ].join('\n'),
      messageId: expect.stringMatching(/^<[0-9a-f]{32}@example\.com>$/) as unknown,
      headers: { 'X-Revops-Outbox-Key': `assigned:email:lee@company1.com:${AT}` },
    });
    expect(emailContent(INPUT, 'other@example.com').messageId.split('@')[0]).toBe(
      content.messageId.split('@')[0],
    );
  });
});

/** Headers unfolded, and the body with quoted-printable undone (what a mail client shows). */
function readMessage(data: string): { headers: string[]; body: string } {
  const cut = data.indexOf('\r\n\r\n');
  const headers = data
    .slice(0, cut)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
  const raw = data.slice(cut + 4).replace(/=\r\n/g, '');
  const bytes = raw.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return { headers, body: Buffer.from(bytes, 'latin1').toString('utf8') };
}

describe('sendEmail over SMTP', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });
  const smtp = (port: number): SmtpSettings => ({
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'revops@example.com',
  });
  const guard = createDestinationGuard({ allow: ['127.0.0.1'] });

  it('delivers one message to every recipient, with the stable Message-ID', async () => {
    sink = await startSmtpSink();
    const content = emailContent(INPUT, 'revops@example.com');
    const verdict = await sendEmail(
      smtp(sink.port),
      ['priya.natarajan@example.com', 'dan@example.com'],
      content,
      {
        guard,
        timeoutMs: 5_000,
      },
    );
    expect(verdict).toEqual({ kind: 'delivered' });
    expect(sink.messages).toHaveLength(1);
    const [message] = sink.messages;
    expect(message?.from).toBe('revops@example.com');
    expect(message?.to).toEqual(['priya.natarajan@example.com', 'dan@example.com']);
    const { headers, body } = readMessage(message?.data ?? '');
    expect(headers).toContain(`Message-ID: ${content.messageId}`);
    expect(headers).toContain('Subject: New lead for Priya Natarajan: Lee Number1 (Company 1)');
    expect(headers).toContain(`X-Revops-Outbox-Key: assigned:email:lee@company1.com:${AT}`);
    expect(body).toBe(content.text.trimEnd().replace(/\n/g, '\r\n'));
  });

  it('retries a 4xx reply, gives up on a 5xx one', async () => {
    sink = await startSmtpSink((n) => (n === 0 ? '451 4.3.0 try later' : '550 5.1.1 no such user'));
    const content = emailContent(INPUT, 'revops@example.com');
    const send = () => sendEmail(smtp(sink!.port), ['x@example.com'], content, { guard, timeoutMs: 5_000 });
    expect(await send()).toEqual({ kind: 'retry', error: 'SMTP 451: 451 4.3.0 try later' });
    expect(await send()).toEqual({ kind: 'dead', error: 'SMTP 550: 550 5.1.1 no such user' });
  });

  it('refuses a loopback SMTP host that is not allow-listed', async () => {
    sink = await startSmtpSink();
    const verdict = await sendEmail(
      smtp(sink.port),
      ['x@example.com'],
      emailContent(INPUT, 'revops@example.com'),
      {
        guard: createDestinationGuard({ allow: [] }),
        timeoutMs: 5_000,
      },
    );
    expect(verdict).toEqual({
      kind: 'dead',
      error:
        'outbox.destination_refused: SMTP host 127.0.0.1 is a loopback address; allow it in delivery.allowPrivate if it is yours',
    });
    expect(sink.messages).toHaveLength(0);
  });

  it('classifies failures without a reply code by nodemailer’s code', () => {
    expect(smtpVerdict(Object.assign(new Error('Invalid login'), { code: 'EAUTH' }))).toEqual({
      kind: 'dead',
      error: 'EAUTH: Invalid login',
    });
    expect(smtpVerdict(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }))).toEqual({
      kind: 'retry',
      error: 'ETIMEDOUT: Connection timeout',
    });
  });
});
