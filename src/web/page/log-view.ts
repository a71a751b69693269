// The page's log: the last lines of what the miner, pools and backends report, newest last.
import type { Logger } from '../../util/log.js';
import { byId, element } from './dom.js';

const MAX_LINES = 300;

/** A Logger that writes to the page's log list (debug lines are left out). */
export function pageLogger(listId: string): Logger {
  const list = byId(listId);
  return (level, message) => {
    if (level === 'debug') return;
    const time = element('time', '', new Date().toLocaleTimeString('en-GB'));
    list.append(element('li', level, [time, document.createTextNode(message)]));
    while (list.childElementCount > MAX_LINES) list.firstElementChild!.remove();
    list.scrollTop = list.scrollHeight;
  };
}
