// What every part of the page shares: the state it draws from, and the API calls.
export const $ = (id) => document.getElementById(id);
export const state = {
	guild: undefined,
	speaker: undefined,
	channelId: undefined,
	files: [],
	commands: [],
	lastDraw: '',
};

export async function api(path, body) {
	const response = await fetch(
		path,
		body === undefined
			? {}
			: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
	);
	const answer = await response.json();
	if (!response.ok) throw new Error(answer.error ?? response.statusText);
	return answer;
}

export function showError(error) {
	$('error').hidden = error === undefined;
	$('error').textContent = error === undefined ? '' : String(error.message ?? error);
}

export const readFile = (file) =>
	new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () =>
			resolve({ filename: file.name, contentType: file.type, data: String(reader.result).split(',')[1] ?? '' });
		reader.onerror = () => reject(reader.error);
		reader.readAsDataURL(file);
	});

/** "@Name" of the bot or a member becomes Discord's <@id>. */

export function nameOfId(id) {
	if (id === state.guild?.bot.id) return state.guild.bot.name;
	return state.guild?.speakers.find((speaker) => speaker.id === id)?.name ?? 'someone';
}

/** Discord's inline markdown on escaped text: code, links, mentions, emphasis. */
