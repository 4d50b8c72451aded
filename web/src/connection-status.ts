import { alertNow } from './announcer.js';
import { byId } from './dom.js';
import type { ConnectionState } from './socket.js';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** The connection pill in the header, the note above the composer, and the alerts about both. */
export class ConnectionStatus {
  private readonly pill = byId('connection');
  private readonly note = byId('connection-note');
  private wasDown = false;
  private noteTimer: number | undefined;

  constructor(private readonly isOnline: () => boolean, retry: () => void) {
    byId('connection-retry').addEventListener('click', retry);
  }

  show(state: ConnectionState): void {
    this.pill.dataset.state = state;
    byId('connection-text').textContent = CONNECTION_TEXT[state];
    this.pill.title = state === 'online' ? 'Connected to Mend' : state === 'offline'
      ? 'Offline. Messages you send are kept and go out when the connection is back.'
      : 'Reconnecting to Mend…';
    window.clearTimeout(this.noteTimer);
    if (state === 'online' || state === 'connecting') this.note.hidden = true;
    else {
      byId('connection-note-text').textContent = state === 'offline'
        ? 'You’re offline. Anything you write is kept and sent when the connection is back.'
        : 'Reconnecting to Mend… Anything you write is kept and sent when the connection is back.';
      // A blip of a second is not worth a banner.
      this.noteTimer = window.setTimeout(() => { this.note.hidden = this.isOnline(); }, 1200);
    }
    if (state === 'reconnecting' || state === 'offline') {
      if (!this.wasDown) alertNow(state === 'offline'
        ? 'You are offline. Anything you write is kept and sent when the connection is back.'
        : 'Connection lost. Reconnecting… Nothing you wrote is lost.');
      this.wasDown = true;
    } else if (state === 'online' && this.wasDown) {
      this.wasDown = false;
      alertNow('Reconnected.');
    }
  }
}
