import { escapeHtml } from './markdown.js';
import { $, api, readFile, showError, state } from './page-state.js';

// The slash command form: the bot's commands as it registered them, with their subcommands, options and choices.
export function openCommands() {
	const form = $('command-form');
	form.hidden = false;
	$('message-input').value = '';
	$('command-name').innerHTML = [...state.commands]
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((command) => `<option value="${escapeHtml(command.name)}">/${escapeHtml(command.name)}</option>`)
		.join('');
	drawCommand();
}

const SUBCOMMAND = 1;

function currentCommand() {
	const command = state.commands.find((entry) => entry.name === $('command-name').value);
	const subs = (command?.options ?? []).filter((option) => option.type === SUBCOMMAND);
	const sub = subs.find((entry) => entry.name === $('command-sub').value) ?? subs[0];
	return {
		command,
		subs,
		sub,
		options: (sub ?? command)?.options?.filter((option) => option.type !== SUBCOMMAND) ?? [],
	};
}

function optionField(option) {
	const id = `option-${option.name}`;
	const label = `${escapeHtml(option.name)}${option.required ? ' *' : ''} <small>${escapeHtml(option.description ?? '')}</small>`;
	const speakers = state.guild.speakers.map(
		(speaker) => `<option value="${speaker.id}">${escapeHtml(speaker.name)}</option>`,
	);
	const channels = state.guild.channels.map(
		(channel) => `<option value="${channel.id}">${escapeHtml(channel.name)}</option>`,
	);
	const empty = option.required ? '' : '<option value="">—</option>';
	let field;
	if (option.choices?.length)
		field = `<select id="${id}">${empty}${option.choices.map((choice) => `<option value="${escapeHtml(String(choice.value))}">${escapeHtml(choice.name)}</option>`).join('')}</select>`;
	else if (option.type === 5)
		field = `<select id="${id}">${empty}<option value="true">true</option><option value="false">false</option></select>`;
	else if (option.type === 8)
		field = `<select id="${id}">${empty}${state.guild.roles.map((role) => `<option value="${role.id}">${escapeHtml(role.name)}</option>`).join('')}</select>`;
	else if (option.type === 9)
		field = `<select id="${id}">${empty}${speakers.join('')}${state.guild.roles.map((role) => `<option value="${role.id}">${escapeHtml(role.name)}</option>`).join('')}</select>`;
	else if (option.type === 6) field = `<select id="${id}">${empty}${speakers.join('')}</select>`;
	else if (option.type === 7) field = `<select id="${id}">${empty}${channels.join('')}</select>`;
	else if (option.type === 11) field = `<input type="file" id="${id}">`;
	else if (option.type === 4 || option.type === 10)
		field = `<input type="number" id="${id}" ${option.type === 4 ? 'step="1"' : 'step="any"'}>`;
	else field = `<textarea id="${id}" rows="2"></textarea>`;
	return `<label>${label}${field}</label>`;
}

export function drawCommand() {
	const { command, subs, options } = currentCommand();
	const subSelect = $('command-sub');
	if (subSelect.dataset.command !== command?.name) {
		subSelect.dataset.command = command?.name ?? '';
		subSelect.innerHTML = subs
			.map((sub) => `<option value="${escapeHtml(sub.name)}">${escapeHtml(sub.name)}</option>`)
			.join('');
	}
	subSelect.hidden = subs.length === 0;
	const sub = subs.find((entry) => entry.name === subSelect.value);
	const locked = command?.default_member_permissions
		? ' · Discord shows it only to members with the permission it names (the bot checks again)'
		: '';
	$('command-description').textContent = `${(sub ?? command)?.description ?? ''}${locked}`;
	$('command-options').innerHTML = options.map(optionField).join('');
}

export async function runCommand(event) {
	event.preventDefault();
	const { command, sub, options } = currentCommand();
	if (!command) return;
	const files = [];
	const values = [];
	for (const option of options) {
		const field = $(`option-${option.name}`);
		if (option.type === 11) {
			const file = field.files?.[0];
			if (file) values.push({ type: 11, name: option.name, value: files.push(await readFile(file)) - 1 });
			continue;
		}
		if (field.value === '') continue;
		const value =
			option.type === 4 || option.type === 10
				? Number(field.value)
				: option.type === 5
					? field.value === 'true'
					: field.value;
		values.push({ type: option.type, name: option.name, value });
	}
	const wire = sub ? [{ type: SUBCOMMAND, name: sub.name, options: values }] : values;
	try {
		await api('/api/commands', {
			as: state.speaker,
			channelId: state.channelId,
			name: command.name,
			options: wire,
			files,
		});
		$('command-form').hidden = true;
		showError(undefined);
	} catch (error) {
		showError(error);
	}
}
