/** Ask a yes/no question on the terminal. Without a terminal there is nobody to ask: the answer is no. */
import { createInterface } from 'node:readline/promises';

export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [type yes] `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}
