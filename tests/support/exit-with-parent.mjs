// Preloaded (`node --import`) into the app servers that tests and benchmarks start: the server
// stops when the process that started it goes away — even when that one is killed outright and
// runs no cleanup — so no server is left listening. The parent holds the other end of stdin;
// when it dies the pipe closes. Stopped normally (SIGTERM/SIGINT), stdin is let go so it does
// not keep the server alive.
import { constants } from 'node:os';

const stdin = process.stdin;
const stop = () => process.kill(process.pid, 'SIGTERM');
stdin.on('end', stop);
stdin.on('error', stop);
stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stdin.destroy();
    // Still starting (the server has not installed its own handlers yet): stop right away.
    if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
  });
}
