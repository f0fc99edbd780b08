/** An error whose message is written for the member who caused it ("This only works inside a bot thread."). */
export class UserFacingError extends Error {
	override readonly name = 'UserFacingError';
}
