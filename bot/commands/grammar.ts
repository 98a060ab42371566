// Tokens several commands' grammars share (bot/commands/defs).

export const INCIDENT_ID = /^#?([A-Za-z0-9][A-Za-z0-9-]{0,63})$/;
export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** A customer id as typed after a command word: it starts with a letter, an incident id need not. */
export const CUSTOMER_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The answer to a list request with a time word: there is no time filter, so say so rather than drop it. */
export const TIME_HINT =
  'I can’t filter incidents by time yet. Lists show the latest activity first: try "incidents open", "incidents awaiting" or "incidents all".';
