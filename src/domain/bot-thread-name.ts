import { createHash } from 'node:crypto';
import type { Session } from './session.js';

/**
 * The name the bot gives a thread repeats the member's first question, so only its hash is stored: enough to tell
 * whether members renamed the thread, and no copy of words a member may later delete.
 */
export function threadNameHash(name: string): string {
	return createHash('sha256').update(name).digest('hex');
}

/** Whether the thread still has the name the bot gave it (false for members' threads and renamed ones). */
export function hasBotThreadName(session: Pick<Session, 'botThreadNameHash'> | undefined, name: string): boolean {
	return session?.botThreadNameHash !== undefined && session.botThreadNameHash === threadNameHash(name);
}
