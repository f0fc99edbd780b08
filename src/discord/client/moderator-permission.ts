import { PermissionFlagsBits } from 'discord.js';

/** The permission that makes a member a moderator for the bot: its settings, and always answered. */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageChannels;
