// Runs CLI commands in the test process: the same commands (src/cli) with their own store opened
// from --database-url, as `roster ...` would, without a child process's start-up (seconds each
// on a busy machine). For commands whose subject is the domain's answer, not the process itself;
// run-cli.ts runs the real binary.
import { Command } from 'commander';
import { withSettingFlags } from '../../src/cli/context.ts';
import { exportImportCommands } from '../../src/cli/export-import.ts';
import { orgCommands } from '../../src/cli/orgs.ts';
import { tokenCommands } from '../../src/cli/tokens.ts';
import { userCommands } from '../../src/cli/users.ts';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One command at a time: console output and process.exitCode are the process's own. */
export async function runCliInProcess(databaseUrl: string, args: string[]): Promise<InProcessRun> {
  const program = new Command().exitOverride();
  for (const commands of [userCommands, orgCommands, tokenCommands, exportImportCommands]) commands(program, withSettingFlags);
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const saved = process.exitCode;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.exitCode = 0;
  try {
    await program.parseAsync([...args, '--database-url', databaseUrl], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
    process.exitCode = saved;
  }
}
