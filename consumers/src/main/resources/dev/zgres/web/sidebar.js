// The side panel's forms: a new channel, friends, the friends-only switch, direct messages, search.

import { presenceDot } from './conversation.js';

const $ = (id) => document.getElementById(id);

function ids(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

export async function renderFriends(api, state) {
  const friends = await api.friends();
  state.friendIds = friends.map((f) => f.friend_id);
  const items = friends.map((f) => {
    state.names.set(f.friend_id, f.username);
    const li = document.createElement('li');
    li.append(presenceDot(f.friend_id, state.presence));
    li.append(document.createTextNode(`${f.username} (id ${f.friend_id})`));
    return li;
  });
  $('friend-list').replaceChildren(...items);
}

export function bindSidebar(api, state, ui) {
  $('create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api.createChannel($('create-name').value.trim(), $('create-type').value, ids($('create-members').value));
      $('create-form').reset();
      await ui.reloadChannels();
      ui.openChannel(r.channel_id);
    } catch (err) {
      ui.status(err.message);
    }
  });

  $('friend-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const added = ids($('friend-id').value);
    try {
      await api.setFriends([...new Set([...(state.friendIds || []), ...added])]);
      $('friend-form').reset();
      await renderFriends(api, state);
    } catch (err) {
      ui.status(err.message);
    }
  });

  $('friends-only').addEventListener('change', async (e) => {
    try {
      await api.setFriendsOnly(e.target.checked);
      ui.status(e.target.checked ? 'Only friends can send you direct messages.' : 'Anyone can send you direct messages.');
    } catch (err) {
      e.target.checked = !e.target.checked;
      ui.status(err.message);
    }
  });

  $('direct-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const [to] = ids($('direct-to').value);
    try {
      const r = await api.direct(to, $('direct-body').value);
      $('direct-form').reset();
      await ui.reloadChannels();
      ui.openChannel(r.channel_id);
    } catch (err) {
      ui.status(err.message);
    }
  });

  $('search-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const results = $('search-results');
    try {
      const r = await api.search($('search-input').value.trim());
      const rows = (r && r.results) || [];
      results.replaceChildren(
        ...rows.map((m) => {
          const li = document.createElement('li');
          const open = document.createElement('button');
          open.type = 'button';
          open.className = 'secondary';
          const channel = state.channels.get(m.channel_id);
          open.textContent = channel ? `# ${channel.info.name}` : `channel ${m.channel_id}`;
          open.addEventListener('click', () => ui.openChannel(m.channel_id));
          const text = document.createElement('span');
          text.className = 'hit';
          text.textContent = ` ${m.username || 'Assistant'}: ${m.content}`;
          li.append(open, text);
          return li;
        }),
      );
      ui.status(rows.length === 0 ? 'Nothing found.' : `${rows.length} found.`);
    } catch (err) {
      results.replaceChildren();
      ui.status(err.status === 501 ? 'Search is not available on this gateway yet.' : err.message);
    }
  });
}
