/** Why move-data refused or failed, in one line fit to print as it is (never a password). */
export class MoveError extends Error {
	override readonly name = 'MoveError';
}
