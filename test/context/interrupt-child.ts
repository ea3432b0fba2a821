// A child process for the signal test: registers clean-ups, says it is ready, then waits to be killed.
import { installInterruptGuard } from '../../src/context/signals.js';

const guard = installInterruptGuard({ log: (l) => process.stdout.write(`log: ${l}\n`) });
guard.add('first', () => {
  process.stdout.write('cleanup first\n');
});
const remove = guard.add('removed', () => {
  process.stdout.write('cleanup removed\n');
});
remove();
guard.add('second', async () => {
  await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`cleanup second (aborted=${guard.signal.aborted})\n`);
});
guard.add('failing', () => {
  throw new Error('boom');
});
process.stdout.write('ready\n');
setTimeout(() => process.exit(0), 10_000);
