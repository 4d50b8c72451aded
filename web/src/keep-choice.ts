import { byId } from './dom.js';
import { keepInMemoryOnly } from './storage.js';

/**
 * "Don't keep this conversation": her choice for the conversation she is about to start.
 * Ticked, the conversation is created private (the server holds it in memory only), and
 * the page keeps her draft for it in memory too.
 */
export class KeepChoice {
  private readonly box = byId<HTMLInputElement>('dont-keep');
  private readonly host = byId('keep-choice');

  constructor(private readonly changed: (unkept: boolean) => void) {
    this.box.addEventListener('change', () => {
      keepInMemoryOnly('new', this.box.checked);
      this.changed(this.box.checked);
    });
  }

  /** Ticked: the next conversation she starts is not kept. */
  get unkept(): boolean {
    return this.box.checked;
  }

  set(unkept: boolean): void {
    this.box.checked = unkept;
    keepInMemoryOnly('new', unkept);
  }

  /** Only a conversation not started yet can be made private. */
  show(visible: boolean): void {
    this.host.hidden = !visible;
  }
}
