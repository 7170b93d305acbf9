import { SMTPServer } from 'smtp-server';

/**
 * The demo's own SMTP server (`npm start` in demo mode without OMNIHUB_SMTP_URL): on 127.0.0.1 at a free port,
 * it accepts every message and discards it, so the e-mail channel is live and a newcomer sees each message as
 * sent in the "Caixa de saída", where its content is kept.
 */
export async function startSmtpSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
