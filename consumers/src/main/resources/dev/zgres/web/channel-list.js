// The channel list: my channels and the public ones, the open one marked, unread counts, and a
// Join button on public channels I am not in.

const $ = (id) => document.getElementById(id);

export function renderChannelList(state, actions) {
  const items = [];
  for (const [id, ch] of state.channels) {
    const li = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'open';
    open.dataset.channelId = String(id);
    if (id === state.active) open.setAttribute('aria-current', 'true');
    const name = document.createElement('span');
    name.textContent = ch.info.channel_type === 'direct' ? `✉ ${ch.info.name}` : `# ${ch.info.name}`;
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = ch.info.role ? ch.info.channel_type : `${ch.info.channel_type}, not joined`;
    name.append(kind);
    open.append(name);
    if (ch.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(ch.unread);
      badge.setAttribute('aria-label', `${ch.unread} unread`);
      open.append(badge);
    }
    open.addEventListener('click', () => actions.open(id));
    li.append(open);
    if (!ch.info.role && ch.info.channel_type === 'public') {
      const join = document.createElement('button');
      join.type = 'button';
      join.className = 'join secondary';
      join.textContent = 'Join';
      join.setAttribute('aria-label', `Join ${ch.info.name}`);
      join.addEventListener('click', () => actions.join(id));
      li.append(join);
    }
    items.push(li);
  }
  $('channel-list').replaceChildren(...items);
}
