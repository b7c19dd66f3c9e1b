import { formatYuan } from '@tollpad/domain';
import type { DisplayMessage } from '@tollpad/linkage';

/**
 * The lane's fee display (费额显示器): what the driver reads. One line, in the order lane displays use:
 * plate, amount due, balance (signed for account cards), then the greeting or instruction.
 */
export function renderDisplay(message: DisplayMessage): string {
  switch (message.kind) {
    case 'fee': {
      const parts = [message.plate, `应收 ${formatYuan(message.amountFen)}元`];
      if (message.balanceFen !== undefined) parts.push(`余额 ${formatYuan(message.balanceFen)}元`);
      if (message.message.length > 0) parts.push(message.message);
      return parts.join(' ');
    }
    case 'notice':
      return message.message;
    case 'clear':
      return '';
  }
}

/** Holds what is on the screen and writes each change to a sink (stdout in the simulator). */
export class FeeDisplay {
  private text = '';

  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void,
  ) {}

  get current(): string {
    return this.text;
  }

  show(message: DisplayMessage): string {
    this.text = renderDisplay(message);
    this.write(`[${this.label} 显示屏] ${this.text === '' ? '（空白）' : this.text}`);
    return this.text;
  }
}
