import { userInfo } from 'node:os';
import { cliActor } from '../core/audit/actors.js';

/** The OS account running the CLI, as the audit trail's actor; a container user without a passwd entry by its uid. */
export function operatorActor(): string {
  try {
    return cliActor(userInfo().username);
  } catch {
    return cliActor(`uid-${process.getuid?.() ?? 'unknown'}`);
  }
}
