// The sandbox page: plain JavaScript with no build step, served as is. It shows the emulated guild as the chosen
// member sees it and redraws on every change the emulator reports (server-sent events), so the bot's edits appear as
// they happen.
import { drawCommand, openCommands, runCommand } from './command-form.js';
import { escapeHtml } from './markdown.js';
import { messageHtml } from './message-html.js';
import { $, api, readFile, showError, state } from './page-state.js';

function drawChannels() {
	const channels = state.guild.channels;
	const threadsOf = (id) => channels.filter((channel) => channel.kind === 'thread' && channel.parentId === id);
	$('channels').innerHTML = channels
		.filter((channel) => channel.kind === 'text')
		.map(
			(channel) =>
				`<a href="#${channel.id}" data-channel-id="${channel.id}"># ${escapeHtml(channel.name)}</a>` +
				threadsOf(channel.id)
					.map(
						(thread) =>
							`<a href="#${thread.id}" class="thread" data-channel-id="${thread.id}" title="${escapeHtml(thread.name)}">└ ${escapeHtml(thread.name)}${thread.archived ? ' (archived)' : ''}</a>`,
					)
					.join(''),
		)
		.join('');
	for (const link of $('channels').querySelectorAll('a'))
		link.classList.toggle('active', link.dataset.channelId === state.channelId);
	const current = channels.find((channel) => channel.id === state.channelId);
	$('channel-title').textContent = current ? `${current.kind === 'thread' ? '↳' : '#'} ${current.name}` : '';
	$('message-input').placeholder =
		current?.kind === 'text'
			? `Message #${current.name} (mention @${state.guild.bot.name} to start a thread)`
			: 'Message this thread';
}

async function drawMessages() {
	const messages = await api(`/api/channels/${state.channelId}/messages?as=${state.speaker}`);
	const html = messages.map(messageHtml).join('');
	if (html === state.lastDraw) return;
	const pane = $('messages');
	const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
	pane.innerHTML = html;
	state.lastDraw = html;
	if (atBottom) pane.scrollTop = pane.scrollHeight;
}

let drawing = false;
let again = false;
/** Redraws from the emulator's state; changes during a redraw cause one more. */
async function refresh() {
	if (drawing) {
		again = true;
		return;
	}
	drawing = true;
	try {
		do {
			again = false;
			state.guild = await api('/api/state');
			state.commands = state.guild.commands;
			drawChannels();
			const typing = state.guild.typing.includes(state.channelId);
			$('typing').textContent = typing ? `${state.guild.bot.name} is typing…` : '';
			if (state.channelId) await drawMessages();
		} while (again);
	} catch (error) {
		showError(error);
	} finally {
		drawing = false;
	}
}

function withMentions(text) {
	const people = [state.guild.bot, ...state.guild.speakers];
	return people.reduce(
		(result, person) => result.replace(new RegExp(`@${person.name}\\b`, 'gi'), `<@${person.id}>`),
		text,
	);
}

async function send(event) {
	event.preventDefault();
	const input = $('message-input');
	if (input.value.trim() === '/') return openCommands();
	if (input.value.trim() === '' && state.files.length === 0) return;
	try {
		const files = await Promise.all(state.files.map(readFile));
		await api(`/api/channels/${state.channelId}/messages`, {
			as: state.speaker,
			content: withMentions(input.value),
			files,
		});
		input.value = '';
		state.files = [];
		$('files').value = '';
		$('pending-files').textContent = '';
		showError(undefined);
	} catch (error) {
		showError(error);
	}
}

function openChannel(id) {
	state.channelId = id;
	state.lastDraw = '';
	location.hash = id;
	void refresh();
}

async function start() {
	state.guild = await api('/api/state');
	$('guild-name').textContent = state.guild.guild.name;
	const model = $('model');
	model.textContent = state.guild.model.demo
		? `Demo model (${state.guild.model.name}): canned text, not an AI`
		: `Model: ${state.guild.model.name}`;
	model.classList.toggle('demo', state.guild.model.demo);
	$('speaker').innerHTML = state.guild.speakers
		.map((speaker) => `<option value="${speaker.id}">${escapeHtml(speaker.name)}</option>`)
		.join('');
	const showRole = () => {
		state.speaker = $('speaker').value;
		$('speaker-role').textContent = state.guild.speakers.find((speaker) => speaker.id === state.speaker)?.role ?? '';
		state.lastDraw = '';
		void refresh();
	};
	$('speaker').addEventListener('change', showRole);
	$('channels').addEventListener('click', (event) => {
		const id = event.target.closest('a')?.dataset.channelId;
		if (!id) return;
		event.preventDefault();
		openChannel(id);
	});
	$('messages').addEventListener('click', (event) => {
		const thread = event.target.closest('[data-thread-id]');
		if (thread) return openChannel(thread.dataset.threadId);
		const button = event.target.closest('button[data-custom-id]');
		if (!button) return;
		api('/api/buttons', {
			as: state.speaker,
			channelId: state.channelId,
			messageId: button.dataset.messageId,
			customId: button.dataset.customId,
		}).then(() => showError(undefined), showError);
	});
	$('composer').addEventListener('submit', send);
	$('files').addEventListener('change', () => {
		state.files = [...$('files').files];
		$('pending-files').textContent = state.files.length
			? `Attached: ${state.files.map((file) => file.name).join(', ')}`
			: '';
	});
	$('open-commands').addEventListener('click', openCommands);
	$('command-close').addEventListener('click', () => ($('command-form').hidden = true));
	$('command-name').addEventListener('change', drawCommand);
	$('command-sub').addEventListener('change', drawCommand);
	$('command-form').addEventListener('submit', runCommand);
	const wanted = location.hash.slice(1);
	state.channelId = state.guild.channels.some((channel) => channel.id === wanted)
		? wanted
		: state.guild.channels[0]?.id;
	showRole();
	new EventSource('/api/events').addEventListener('message', () => void refresh());
	// Typing ends by time, not by an event.
	setInterval(() => void refresh(), 3000);
}

start().catch(showError);
