#!/usr/bin/env node
/**
 * The `botcache` command line. Commands live in their own files; this file only routes.
 */
import { runDemo } from './demo.js';

const USAGE = `botcache — a cache standard for chat-bot SDKs

usage: botcache <command> [options]

commands:
  demo      simulate a bot's clan in the embedded in-memory store and print what the cache holds
  help      show this text`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return runDemo(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`botcache: unknown command '${command}' (try 'botcache help')`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`botcache: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
