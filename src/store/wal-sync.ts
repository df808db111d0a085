// Flushes a SQLite database's write-ahead log to disk off the event loop (store/group-commit.ts).
import { open, type FileHandle } from 'node:fs/promises';

export interface WalSync {
  /** fdatasync of the WAL on libuv's thread pool: what was committed before the call is then durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One handle to `<database>-wal`, opened at the first sync. It stays that file's handle: SQLite
 * removes the WAL only when the database's last connection closes, and this process keeps one
 * open until close().
 */
export function walSync(databasePath: string): WalSync {
  let handle: Promise<FileHandle> | undefined;
  const opened = () =>
    (handle ??= open(`${databasePath}-wal`, 'r+').catch((err: unknown) => {
      handle = undefined;
      throw err;
    }));
  return {
    sync: async () => (await opened()).datasync(),
    close: async () => {
      const closing = handle;
      handle = undefined;
      await (await closing?.catch(() => undefined))?.close();
    },
  };
}
