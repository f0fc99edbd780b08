// Discord allows thread names of 1–100 characters.
const THREAD_NAME_LIMIT = 100;

/** A thread name from the first line of the member's message, cut at a word boundary. */
export function threadName(text: string, authorName: string): string {
	const firstLine = text
		.split('\n')
		.map((line) =>
			line
				.replace(/[`*_~|>#]/g, '')
				.replace(/\s+/g, ' ')
				.trim(),
		)
		.find((line) => line !== '');
	const name = firstLine ?? `Chat with ${authorName}`;
	if (name.length <= THREAD_NAME_LIMIT) return name;
	const cut = name.slice(0, THREAD_NAME_LIMIT - 1);
	const space = cut.lastIndexOf(' ');
	return `${space > THREAD_NAME_LIMIT / 2 ? cut.slice(0, space) : cut}…`;
}
