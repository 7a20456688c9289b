/** `npm start`: `chatgraph serve` with the same flags (see `src/cli.ts`). */
import { main } from './cli.js';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
