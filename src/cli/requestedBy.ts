/** Who asked, for the records: the local user name, as `cli:<user>`. */
import { userInfo } from 'node:os';

export function cliRequester(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
