const TOKEN_PATTERNS: readonly (readonly [RegExp, string])[] = [
	// `/interactions/{id}/{token}/callback`, `/webhooks/{id}/{token}/messages/…`: whoever holds an interaction token can
	// post and edit as the bot in that channel for 15 minutes, and a webhook token for as long as the webhook lives.
	[/(\/(?:interactions|webhooks)\/[^/?#\s]+\/)[^/?#\s"'`<>]+/g, '$1:token'],
	// A bot token (user id . timestamp . HMAC), should one ever end up in a message.
	[/[\w-]{24,}\.[\w-]{6}\.[\w-]{27,}/g, ':bot-token'],
	// A Google API key.
	[/AIza[\w-]{35}/g, ':api-key'],
	// The password in a URL with credentials (DATABASE_URL, say): `scheme://user:password@host`.
	[/(\b[a-z][\w+.-]*:\/\/[^/:@\s"'`<>]*:)[^@/\s"'`<>]+@/gi, '$1:password@'],
];

/**
 * `text` with interaction and webhook tokens in URLs, bot tokens, Google API keys and passwords in URLs replaced by
 * placeholders.
 */
export function maskTokens(text: string): string {
	return TOKEN_PATTERNS.reduce((masked, [pattern, placeholder]) => masked.replace(pattern, placeholder), text);
}
