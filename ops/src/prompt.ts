import { createInterface } from 'node:readline';
import type { OpsContext } from './context';

/**
 * Reads a password: on a terminal, without echoing it; from a pipe, the first
 * line (`printf '%s\n' "$PASSWORD" | npm run ops -- login --email …`).
 */
export function readPassword(stdin: OpsContext['stdin'], ask: (text: string) => void): Promise<string> {
  if (!stdin.isTTY || !stdin.setRawMode) {
    const lines = createInterface({ input: stdin, terminal: false });
    return new Promise((resolve) => {
      let answered = false;
      lines.once('line', (line) => {
        answered = true;
        lines.close();
        resolve(line);
      });
      lines.once('close', () => {
        if (!answered) resolve('');
      });
    });
  }
  ask('Password: ');
  const raw = stdin.setRawMode.bind(stdin);
  raw(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003') return finish(() => reject(new Error('cancelled')));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      raw(false);
      stdin.pause();
      ask('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}
