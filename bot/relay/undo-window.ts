/** How long the sender of a message passed on unasked (the one open request in a chat) may withdraw it. */
export const UNDO_WINDOW_MS = 2 * 60_000;
